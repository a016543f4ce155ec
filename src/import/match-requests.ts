// Which requests of a profile a plan's operation means: "POST /api/auth/login" by method and path,
// "login" by name, "Challenge Loading" by its words ("challenge" in list-challenges).

import type { ProfileRequest } from './types.js';

export interface RequestMatch {
  names: string[];
  /** how the names were found: a path or a name is certain, words are a guess worth checking */
  by: 'path' | 'name' | 'words' | 'none';
}

const stopWords = new Set(['api', 'and', 'the', 'for', 'with', 'from', 'loading', 'response', 'operations', 'requests', 'request', 'queries', 'query', 'time', 'simple', 'complex', 'routes', 'route', 'user', 'users', 'real', 'data']);

/** `/api/challenges/:id` or `{id}` or `{{ x }}` segments match any one segment */
function pathPattern(path: string): RegExp {
  const segments = path.split('?')[0]!.split('/').map((segment) =>
    /^(:\w+|\{[^}]*\}+|\{\{.*\}\}|<[^>]+>|\*)$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
  );
  return new RegExp(`^${segments.join('/')}/?$`, 'i');
}

function normalisePath(path: string): string {
  // a step's path may hold templates; compare them as one segment each
  return (path.split('?')[0] ?? '').replace(/\{\{[^}]*\}\}/g, 'x');
}

const slug = (text: string): string => text.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

function words(text: string): string[] {
  return text
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word.length >= 4 && !stopWords.has(word));
}

/** "submission" and "submissions", "authentication" and "auth", "collaboration" and "collab" */
function sameWord(a: string, b: string): boolean {
  const need = Math.min(5, a.length, b.length);
  let common = 0;
  while (common < a.length && a[common] === b[common]) common += 1;
  return common >= need;
}

/** the words of a path, without templates, `api` and versions */
function pathWords(path: string): string[] {
  return (path.split('?')[0] ?? '')
    .replace(/\{\{[^}]*\}\}/g, '/')
    .split(/[^A-Za-z0-9]+/)
    .map((word) => word.toLowerCase())
    .filter((word) => word.length >= 4 && !/^v\d+$/.test(word));
}

export function matchRequests(operation: string, requests: readonly ProfileRequest[]): RequestMatch {
  const text = operation.trim().replace(/\s+/g, ' ');
  const endpoint = /^(?:(GET|HEAD|POST|PUT|PATCH|DELETE|OPTIONS|WS)\s+)?(\/\S*)/i.exec(text);
  if (endpoint) {
    const method = endpoint[1]?.toUpperCase();
    const pattern = pathPattern(endpoint[2] ?? '/');
    const names = requests.filter((request) => (method === undefined || request.method === method) && pattern.test(normalisePath(request.path))).map((request) => request.name);
    return { names, by: names.length > 0 ? 'path' : 'none' };
  }
  const byName = requests.filter((request) => slug(request.name) === slug(text)).map((request) => request.name);
  if (byName.length > 0) return { names: byName, by: 'name' };
  // an operation's words name what its requests touch: the path first, the request's name else
  const wanted = words(text);
  const matching = (have: (request: ProfileRequest) => string[]): string[] =>
    requests.filter((request) => have(request).some((word) => wanted.some((want) => sameWord(want, word)))).map((request) => request.name);
  const byWords = wanted.length === 0 ? [] : matching((request) => pathWords(request.path));
  const names = byWords.length > 0 ? byWords : wanted.length === 0 ? [] : matching((request) => words(request.name));
  return { names, by: names.length > 0 ? 'words' : 'none' };
}
