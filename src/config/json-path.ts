// The JSONPath subset of captures: `$`, then `.name`, `['name']` / `["name"]` and `[0]` (or
// `[-1]` from the end), e.g. `$.token`, `$.items[0].id`, `$['user-id']`. Parsed once at load into
// a list of keys and indexes; evaluating it is a walk down the parsed body.

import type { Read } from './duration.js';

export type JsonPathSegment = string | number;

const hint = 'write a path such as $.token or $.items[0].id';

export function parseJsonPath(expression: string): Read<JsonPathSegment[]> {
  const text = expression.trim();
  const fail = (why: string): Read<JsonPathSegment[]> => ({ ok: false, message: `"${expression}" is not a JSON path: ${why}`, hint });
  if (!text.startsWith('$')) return fail('it must start with $');
  const segments: JsonPathSegment[] = [];
  let at = 1;
  while (at < text.length) {
    const char = text[at];
    if (char === '.') {
      const match = /^[A-Za-z_$][\w$-]*/.exec(text.slice(at + 1));
      if (!match) return fail(`a name is expected after the "." at ${at + 1}`);
      segments.push(match[0]);
      at += 1 + match[0].length;
    } else if (char === '[') {
      const rest = text.slice(at);
      const index = /^\[\s*(-?\d+)\s*\]/.exec(rest);
      const quoted = /^\[\s*(?:'((?:[^'\\]|\\.)*)'|"((?:[^"\\]|\\.)*)")\s*\]/.exec(rest);
      if (index) {
        segments.push(Number(index[1]));
        at += index[0].length;
      } else if (quoted) {
        segments.push((quoted[1] ?? quoted[2] ?? '').replace(/\\(.)/g, '$1'));
        at += quoted[0].length;
      } else {
        return fail(`only [0] and ['name'] are supported inside brackets (at ${at + 1})`);
      }
    } else {
      return fail(`unexpected "${char ?? ''}" at ${at + 1}`);
    }
  }
  return { ok: true, value: segments };
}

/** The value at `path` in `root`, or undefined when the path leads nowhere. */
export function evaluateJsonPath(root: unknown, path: readonly JsonPathSegment[]): unknown {
  let node = root;
  for (const segment of path) {
    if (typeof segment === 'number') {
      if (!Array.isArray(node)) return undefined;
      node = node[segment < 0 ? node.length + segment : segment];
    } else {
      if (node === null || typeof node !== 'object' || Array.isArray(node)) return undefined;
      if (!Object.hasOwn(node, segment)) return undefined;
      node = (node as Record<string, unknown>)[segment];
    }
  }
  return node;
}
