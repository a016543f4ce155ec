// An Artillery test (YAML or JSON) -> a perfctl profile (SPEC §11). Artillery's arrivals are an
// open model: every arrival runs one scenario, picked by weight; perfctl does the same with flows.
// Phases keep Artillery's meaning: `arrivalRate` alone is a constant rate (perfctl ramps from the
// previous stage unless `from:` says otherwise, so every stage gets its `from`), `rampTo` ramps,
// `arrivalCount` spreads its arrivals evenly, `pause` sends nothing.

import { posix } from 'node:path';
import { isRecord } from '../config/read-values.js';
import { parseYamlSource, positionOf, toData } from '../config/yaml-source.js';
import type { FieldPath, YamlSource } from '../config/yaml-source.js';
import { artilleryDuration, artilleryDurationMs, randomItemCall, rewriteTemplates } from './artillery-values.js';
import { block, commented } from './emit-yaml.js';
import { formatLatency, formatPercent } from './limit-values.js';
import { baseUrlValue, NameRegistry, requestSlug, slug } from './names.js';
import { guardSecretFields } from './secret-fields.js';
import { ImportInputError } from './types.js';
import type { Conversion, ImportOptions, SourceRemark } from './types.js';

export interface ArtilleryOptions extends ImportOptions {
  /** reads a file named by the test (its payload CSV), relative to the test; null when missing */
  readSibling?: (relativePath: string) => Promise<string | null>;
}

const methods = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;
/** perfctl's largest repeat */
const MAX_REPEAT = 1000;

class Context {
  readonly leftOut: SourceRemark[] = [];
  readonly notes: SourceRemark[] = [];
  readonly env = new Set<string>();
  readonly names = new NameRegistry();
  constants: Record<string, string> = {};
  /** captures of the before: flow, read as {{ setup.NAME }} after it */
  readonly setupNames = new Set<string>();

  constructor(
    readonly source: YamlSource,
    readonly file: string,
  ) {}

  at(path: FieldPath): { line: number; col: number } {
    return positionOf(this.source, path);
  }

  where(path: FieldPath): string {
    return `${this.file}:${this.at(path).line}`;
  }

  leave(path: FieldPath, construct: string, advice: string): void {
    this.leftOut.push({ ...this.at(path), construct, advice });
  }

  note(path: FieldPath, construct: string, advice: string): void {
    this.notes.push({ ...this.at(path), construct, advice });
  }

  /** a string with Artillery's templates in perfctl's terms; what cannot be is listed */
  text(value: string, path: FieldPath): string {
    const rewrite = rewriteTemplates(value, this.constants);
    if (this.setupNames.size > 0) rewrite.text = rewrite.text.replace(/\{\{ ([A-Za-z_][\w-]*) \}\}/g, (whole, name: string) => (this.setupNames.has(name) ? `{{ setup.${name} }}` : whole));
    rewrite.env.forEach((name) => this.env.add(name));
    for (const written of rewrite.unsupported) {
      this.leave(path, written, 'perfctl has no such template function: a fixed text stands in; its functions are uuid(), randomString(n), randomInt(a, b), randomItem(a, b), timestamp()');
    }
    return rewrite.text;
  }

  /** every string of a JSON body rewritten */
  json(value: unknown, path: FieldPath): unknown {
    if (typeof value === 'string') return this.text(value, path);
    if (Array.isArray(value)) return value.map((item, index) => this.json(item, [...path, index]));
    if (isRecord(value)) return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, this.json(item, [...path, key])]));
    return value;
  }
}

export async function importArtillery(text: string, options: ArtilleryOptions): Promise<Conversion> {
  const { source, issues } = parseYamlSource(text, options.file);
  if (issues.length > 0) {
    const first = issues[0]!;
    throw new ImportInputError(first.message, { line: first.line, col: first.col });
  }
  const data = toData(source);
  if (!isRecord(data) || !isRecord(data['config'])) {
    throw new ImportInputError('not an Artillery test: it has no `config:` map', { line: 1, col: 1 }, 'an Artillery test has `config:` (target, phases) and `scenarios:`');
  }
  const config = data['config'];
  const context = new Context(source, options.file);

  const document: Record<string, unknown> = {};
  document['name'] = slug(options.file.replace(/\.(ya?ml|json)$/i, '')) || 'imported';
  document['description'] = `Imported from the Artillery test ${options.file}`;
  const target = typeof config['target'] === 'string' ? config['target'] : undefined;
  document['baseUrl'] = commented(baseUrlValue(options.baseUrl, target), target ? `config.target (${context.where(['config', 'target'])})` : undefined);
  if (!target && !options.baseUrl) context.leave(['config'], 'config.target', 'no target: give the service with --base-url (perfctl run -u URL)');

  readVariables(config, context);
  const stages = readPhases(config, context);
  document['stages'] = stages;
  const timeout = isRecord(config['http']) ? artilleryDuration(config['http']['timeout']) : null;
  if (timeout) document['timeout'] = commented(timeout, `config.http.timeout (${context.where(['config', 'http', 'timeout'])})`);
  const maxVusers = maxInFlight(config);
  if (maxVusers !== null) document['maxInFlight'] = maxVusers;

  const data_ = await readPayload(config, context, options);
  if (data_) document['data'] = data_.document;
  const defaultHeaders = readDefaultHeaders(config, context);
  // before: runs once before the load, its captures are {{ setup.NAME }} everywhere after it
  const setup = readHook(data['before'], 'before', context, defaultHeaders);
  if (setup.length > 0) {
    document['setup'] = setup.map((step) => step.node);
    for (const name of captureNames(setup)) context.setupNames.add(name);
    context.note(['before'], 'before', `its steps are setup: steps, run once before the load; its captures are {{ setup.NAME }} in the scenarios`);
  }
  const flows = readScenarios(data['scenarios'], context, defaultHeaders);
  document['flows'] = flows.map((flow) => flow.value);
  const teardown = readHook(data['after'], 'after', context, defaultHeaders);
  if (teardown.length > 0) {
    document['teardown'] = teardown.map((step) => step.node);
    context.note(['after'], 'after', 'its steps are teardown: steps, run once after the load');
  }
  const targets = readEnsure(config, context);
  if (targets.length > 0) document['targets'] = targets;

  leaveOtherConfig(config, context);
  for (const key of Object.keys(data)) {
    if (!['config', 'scenarios', 'before', 'after'].includes(key)) context.leave([key], key, 'not an Artillery key perfctl knows');
  }

  const stepCount = flows.reduce((sum, flow) => sum + flow.steps, 0);
  return {
    output: 'profile',
    document,
    header: [`Imported by perfctl from the Artillery test ${options.file}; comments name the source lines.`],
    leftOut: context.leftOut.sort((a, b) => a.line - b.line || a.col - b.col),
    notes: context.notes.sort((a, b) => a.line - b.line || a.col - b.col),
    placeholders: [...context.env].map((name) => ({ name, what: `read by the test from the environment (${name})` })),
    summary: `${stages.length} stage${stages.length === 1 ? '' : 's'}, ${flows.length} flow${flows.length === 1 ? '' : 's'} of ${stepCount} step${stepCount === 1 ? '' : 's'}${targets.length > 0 ? `, ${targets.length} target row${targets.length === 1 ? '' : 's'}` : ''}${data_ ? ', payload CSV' : ''}`,
    ...(data_?.file ? { files: [data_.file] } : {}),
  };
}

function readVariables(config: Record<string, unknown>, context: Context): void {
  if (!isRecord(config['variables'])) return;
  for (const [name, value] of Object.entries(config['variables'])) {
    const values = Array.isArray(value) ? value : [value];
    if (values.length === 0) continue;
    if (values.length === 1) {
      context.constants[name] = String(values[0]);
      continue;
    }
    context.constants[name] = `{{ ${randomItemCall(values)} }}`;
    context.note(['config', 'variables', name], `variables.${name} (${values.length} values)`, 'each use is {{ randomItem(...) }}, drawn anew each time (Artillery draws once per virtual user); for one value per journey put the values in a CSV column (data: with order: random)');
  }
}

function readPhases(config: Record<string, unknown>, context: Context): unknown[] {
  const phases = Array.isArray(config['phases']) ? config['phases'] : [];
  if (phases.length === 0) {
    context.leave(['config'], 'config.phases', 'no phases: one stage of 1 arrival/s for 1m stands in; write your load shape in stages');
    return [{ name: 'hold', duration: '1m', rate: 1 }];
  }
  const stageNames = new NameRegistry();
  const stages: unknown[] = [];
  phases.forEach((phase: unknown, index) => {
    const path = ['config', 'phases', index];
    if (!isRecord(phase)) return;
    const where = context.where(path);
    const name = typeof phase['name'] === 'string' && phase['name'] !== '' ? stageNames.take(phase['name']) : undefined;
    const named = name ? { name } : {};
    if (phase['pause'] !== undefined) {
      const duration = artilleryDuration(phase['pause']);
      if (duration === null) return context.leave([...path, 'pause'], `pause: ${String(phase['pause'])}`, 'not a duration');
      stages.push(commented({ ...named, duration, from: 0, rate: 0 }, `pause (${where})`));
      return;
    }
    const durationMs = artilleryDurationMs(phase['duration']);
    if (durationMs === null) return context.leave([...path, 'duration'], `duration: ${String(phase['duration'])}`, 'not a duration: write the stage by hand');
    const duration = artilleryDuration(phase['duration'])!;
    if (typeof phase['arrivalCount'] === 'number') {
      const rate = durationMs > 0 ? Math.round((phase['arrivalCount'] / (durationMs / 1000)) * 1000) / 1000 : 0;
      stages.push(commented({ ...named, duration, from: rate, rate }, `arrivalCount ${phase['arrivalCount']}, evenly (${where})`));
      return;
    }
    const arrivalRate = typeof phase['arrivalRate'] === 'number' ? phase['arrivalRate'] : null;
    if (arrivalRate === null) return context.leave(path, 'phase without arrivalRate, arrivalCount or pause', 'write the stage by hand (rate: N)');
    const rampTo = typeof phase['rampTo'] === 'number' ? phase['rampTo'] : null;
    // from: on every stage: perfctl would otherwise ramp from the previous stage's level
    stages.push(commented({ ...named, duration, from: arrivalRate, rate: rampTo ?? arrivalRate }, `${rampTo === null ? 'constant' : 'ramp'} (${where})`));
  });
  return stages;
}

function maxInFlight(config: Record<string, unknown>): number | null {
  const phases = Array.isArray(config['phases']) ? config['phases'].filter(isRecord) : [];
  const caps = phases.map((phase) => phase['maxVusers']).filter((value): value is number => typeof value === 'number' && value > 0);
  return caps.length > 0 ? Math.max(...caps) : null;
}

interface PayloadOut {
  document: Record<string, unknown>;
  file?: { name: string; content: string };
}

async function readPayload(config: Record<string, unknown>, context: Context, options: ArtilleryOptions): Promise<PayloadOut | null> {
  const raw = config['payload'];
  if (raw === undefined) return null;
  const payloads = Array.isArray(raw) ? raw : [raw];
  const payload = payloads[0];
  const path = Array.isArray(raw) ? ['config', 'payload', 0] : ['config', 'payload'];
  payloads.slice(1).forEach((_extra, index) => context.leave(['config', 'payload', index + 1], 'a second payload file', 'perfctl reads one row per iteration of each data source: add it under data: with its own name and use {{ name.column }}'));
  if (!isRecord(payload) || typeof payload['path'] !== 'string') {
    context.leave(path, 'payload', 'no `path`: add a data: CSV by hand');
    return null;
  }
  const csvPath = payload['path'];
  const fields = Array.isArray(payload['fields']) ? payload['fields'].map(String) : [];
  const order = payload['order'] === 'sequence' ? 'sequence' : 'random';
  const comment = `config.payload (${context.where(path)})${payload['order'] === undefined ? '; Artillery picks rows at random by default' : ''}`;
  for (const key of Object.keys(payload)) {
    if (!['path', 'fields', 'order', 'skipHeader', 'delimiter', 'cast'].includes(key)) context.leave([...path, key], `payload.${key}`, 'not converted: perfctl reads one CSV row per flow iteration');
  }
  const delimiter = typeof payload['delimiter'] === 'string' ? payload['delimiter'] : ',';
  const contents = options.readSibling ? await options.readSibling(csvPath) : null;
  // perfctl names the columns from the file's header row; Artillery from `fields` (the file has no header unless skipHeader)
  if (contents === null) {
    context.leave([...path, 'path'], `payload ${csvPath}`, 'the CSV file was not found beside the test: copy it beside the profile, with a header row naming the fields');
    return { document: { row: commented({ csv: relativeCsv(csvPath), order }, comment) } };
  }
  const lines = contents.split(/\r?\n/);
  const body = payload['skipHeader'] === true ? lines.slice(1) : lines;
  const header = fields.length > 0 ? fields : (lines[0] ?? '').split(delimiter);
  const headerLine = payload['skipHeader'] === true ? lines[0] : undefined;
  const sameFile = delimiter === ',' && headerLine !== undefined && headerLine.split(',').map((cell) => cell.trim()).join(',') === header.join(',');
  if (sameFile) return { document: { row: commented({ csv: relativeCsv(csvPath), order }, comment) } };
  const name = `${posix.basename(csvPath).replace(/\.csv$/i, '')}.perfctl.csv`;
  const rows = body.filter((line) => line.trim() !== '').map((line) => (delimiter === ',' ? line : line.split(delimiter).map(csvCell).join(',')));
  context.note([...path, 'path'], `payload ${csvPath}`, `written as ${name} with the header row ${header.join(',')} (perfctl names columns from the header)`);
  return { document: { row: commented({ csv: `./${name}`, order }, comment) }, file: { name, content: `${header.join(',')}\n${rows.join('\n')}\n` } };
}

function csvCell(cell: string): string {
  return /[",\n]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
}

function relativeCsv(path: string): string {
  return path.startsWith('.') || path.startsWith('/') ? path : `./${path}`;
}

function readDefaultHeaders(config: Record<string, unknown>, context: Context): Record<string, string> {
  const defaults = isRecord(config['defaults']) ? config['defaults'] : null;
  if (!defaults) return {};
  for (const key of Object.keys(defaults)) {
    if (key !== 'headers') context.leave(['config', 'defaults', key], `defaults.${key}`, 'not converted');
  }
  if (!isRecord(defaults['headers'])) return {};
  const headers = Object.fromEntries(Object.entries(defaults['headers']).map(([name, value]) => [name.toLowerCase(), context.text(String(value), ['config', 'defaults', 'headers', name])]));
  context.note(['config', 'defaults', 'headers'], 'defaults.headers', 'written into the headers of every step (perfctl has no profile-wide headers)');
  return headers;
}

interface FlowOut {
  value: unknown;
  steps: number;
}

function readScenarios(raw: unknown, context: Context, defaultHeaders: Record<string, string>): FlowOut[] {
  const scenarios = Array.isArray(raw) ? raw : [];
  if (scenarios.length === 0) throw new ImportInputError('the test has no scenarios', context.at(['scenarios']), 'an Artillery test lists `scenarios:` with a `flow:` each');
  const flows: FlowOut[] = [];
  scenarios.forEach((scenario: unknown, index) => {
    const path = ['scenarios', index];
    if (!isRecord(scenario)) return;
    const label = typeof scenario['name'] === 'string' ? scenario['name'] : `scenario ${index + 1}`;
    if (scenario['engine'] !== undefined && scenario['engine'] !== 'http') {
      return context.leave([...path, 'engine'], `scenario "${label}" (engine: ${String(scenario['engine'])})`, 'perfctl converts HTTP scenarios; write WebSocket steps by hand (ws:)');
    }
    for (const key of Object.keys(scenario)) {
      if (!['name', 'weight', 'flow', 'engine'].includes(key)) context.leave([...path, key], `${label}: ${key}`, key.startsWith('before') || key.startsWith('after') ? 'a JavaScript hook: perfctl runs no JavaScript; use captures and templates' : 'not converted');
    }
    const name = context.names.take(slug(label) || `flow-${index + 1}`);
    const steps = readSteps(scenario['flow'], [...path, 'flow'], context, defaultHeaders);
    if (steps.filter((step) => !('think' in (step as { value: Record<string, unknown> }).value)).length === 0) {
      return context.leave(path, `scenario "${label}"`, 'has no request perfctl can send');
    }
    const weight = typeof scenario['weight'] === 'number' ? scenario['weight'] : 1;
    flows.push({
      value: commented(block({ name, weight, steps: steps.map((step) => step.node) }), `"${label}" (${context.where(path)})`),
      steps: steps.length,
    });
  });
  return flows;
}

/** Artillery's before: / after: { flow: [...] }: steps run once */
function readHook(raw: unknown, key: 'before' | 'after', context: Context, defaultHeaders: Record<string, string>): StepOut[] {
  if (raw === undefined) return [];
  if (!isRecord(raw) || !Array.isArray(raw['flow'])) {
    context.leave([key], key, 'expected `flow:` with steps');
    return [];
  }
  for (const other of Object.keys(raw)) if (other !== 'flow') context.leave([key, other], `${key}.${other}`, 'not converted');
  return readSteps(raw['flow'], [key, 'flow'], context, defaultHeaders);
}

/** the names the steps capture (inside repeat blocks too) */
function captureNames(steps: StepOut[]): string[] {
  const names: string[] = [];
  const visit = (value: Record<string, unknown>): void => {
    if (isRecord(value['capture'])) names.push(...Object.keys(value['capture']));
    if (Array.isArray(value['steps'])) for (const inner of value['steps']) visit(isRecord(inner) ? inner : {});
  };
  steps.forEach((step) => visit(step.value));
  return names;
}

interface StepOut {
  node: unknown;
  value: Record<string, unknown>;
}

function readSteps(raw: unknown, path: FieldPath, context: Context, defaultHeaders: Record<string, string>): StepOut[] {
  const items = Array.isArray(raw) ? raw : [];
  const steps: StepOut[] = [];
  items.forEach((item: unknown, index) => {
    const at = [...path, index];
    if (!isRecord(item)) return;
    const where = context.where(at);
    if (item['think'] !== undefined) {
      const think = artilleryDuration(item['think']);
      if (think === null) return context.leave([...at, 'think'], `think: ${String(item['think'])}`, 'not a duration');
      steps.push({ node: commented({ think }, where), value: { think } });
      return;
    }
    if (item['loop'] !== undefined) {
      steps.push(...readLoop(item, at, context, defaultHeaders));
      return;
    }
    const method = methods.find((candidate) => isRecord(item[candidate]));
    if (!method) {
      const key = Object.keys(item)[0] ?? '?';
      const advice: Record<string, string> = {
        function: 'a JavaScript function: perfctl runs no JavaScript; use captures and templates',
        log: 'perfctl prints no per-request log lines',
        parallel: 'perfctl sends a flow\'s steps one after another: list them as steps',
      };
      return context.leave(at, key, advice[key] ?? 'not a step perfctl knows');
    }
    const step = readRequest(item[method] as Record<string, unknown>, method, [...at, method], context, defaultHeaders);
    steps.push({ node: commented(block(step), where), value: step });
  });
  return steps;
}

function readLoop(item: Record<string, unknown>, at: FieldPath, context: Context, defaultHeaders: Record<string, string>): StepOut[] {
  const count = typeof item['count'] === 'number' ? item['count'] : null;
  if (item['over'] !== undefined || count === null || !Number.isInteger(count) || count < 1 || count > MAX_REPEAT) {
    const construct = item['over'] !== undefined ? 'loop over a list' : count === null ? 'loop without a count' : `loop count ${String(item['count'])}`;
    const advice = item['over'] !== undefined ? 'perfctl repeats steps a number of times, not over data: put the values in a CSV column (data:) and write the steps once' : `perfctl repeats steps 1 to ${MAX_REPEAT} times (repeat: N): write the count`;
    context.leave(at, construct, advice);
    return [];
  }
  const inner = readSteps(item['loop'], [...at, 'loop'], context, defaultHeaders);
  if (inner.length === 0) return [];
  const value = { repeat: count, steps: inner.map((step) => step.node) };
  return [{ node: commented(block(value), context.where(at)), value }];
}

function readRequest(
  request: Record<string, unknown>,
  method: string,
  at: FieldPath,
  context: Context,
  defaultHeaders: Record<string, string>,
): Record<string, unknown> {
  const url = typeof request['url'] === 'string' ? context.text(request['url'], [...at, 'url']) : '/';
  let path = url;
  if (isRecord(request['qs'])) {
    const query = Object.entries(request['qs'])
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeQueryValue(context.text(String(value), [...at, 'qs', key]))}`)
      .join('&');
    path = `${url}${url.includes('?') ? '&' : '?'}${query}`;
  }
  const step: Record<string, unknown> = {};
  const explicit = typeof request['name'] === 'string' ? slug(request['name']) : '';
  // steps are grouped under their flow in every report: the endpoint is name enough
  step['name'] = context.names.take(explicit || requestSlug(method, url));
  if (method !== 'get') step['method'] = method.toUpperCase();
  step['path'] = path;
  const headers: Record<string, string> = { ...defaultHeaders };
  if (isRecord(request['headers'])) {
    for (const [name, value] of Object.entries(request['headers'])) headers[name.toLowerCase()] = context.text(String(value), [...at, 'headers', name]);
  }
  if (request['json'] !== undefined) {
    step['json'] = guardSecretFields(context.json(request['json'], [...at, 'json']), (variable) =>
      context.note([...at, 'json'], `a literal ${variable.toLowerCase()} in the body`, `read from \${${variable}:-...} with the test's value as the default, so every report shows *** (set ${variable} to change it)`),
    );
  }
  else if (request['body'] !== undefined) step['body'] = context.text(typeof request['body'] === 'string' ? request['body'] : JSON.stringify(request['body']), [...at, 'body']);
  else if (isRecord(request['form'])) {
    headers['content-type'] ??= 'application/x-www-form-urlencoded';
    step['body'] = Object.entries(request['form'])
      .map(([key, value]) => `${encodeURIComponent(key)}=${encodeQueryValue(context.text(String(value), [...at, 'form', key]))}`)
      .join('&');
  }
  if (Object.keys(headers).length > 0) step['headers'] = headers;
  const expect = readExpect(request['expect'], [...at, 'expect'], context);
  if (expect) step['expect'] = expect;
  const capture = readCaptures(request['capture'], [...at, 'capture'], context);
  if (capture) step['capture'] = capture;
  for (const key of Object.keys(request)) {
    if (['url', 'qs', 'headers', 'json', 'body', 'form', 'expect', 'capture', 'name'].includes(key)) continue;
    const advice: Record<string, string> = {
      auth: 'write the authorization header (Basic base64(user:pass)) in headers',
      cookie: 'write a cookie header',
      followRedirect: 'perfctl sends one request per step',
      ifTrue: 'a condition in JavaScript: perfctl runs every step',
      formData: 'multipart bodies are not converted: write the body by hand',
      beforeRequest: 'a JavaScript hook: perfctl runs no JavaScript',
      afterResponse: 'a JavaScript hook: perfctl runs no JavaScript',
      match: 'use expect or a capture',
    };
    context.leave([...at, key], `${method} ${url}: ${key}`, advice[key] ?? 'not converted');
  }
  return step;
}

/** a query value, with its templates left as they are */
function encodeQueryValue(value: string): string {
  return value
    .split(/(\{\{.*?\}\}|\$\{[^}]*\})/)
    .map((part, index) => (index % 2 === 1 ? part : encodeURIComponent(part)))
    .join('');
}

interface ArtilleryExpect {
  status?: number[];
  body?: { contains?: string; matches?: string; json?: Record<string, unknown> };
  headers?: Record<string, string>;
}

const escapeRegex = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** the expect plugin's statusCode, contentType, hasProperty, hasHeader, matchesRegexp */
function readExpect(raw: unknown, at: FieldPath, context: Context): ArtilleryExpect | null {
  if (raw === undefined) return null;
  const expectations = Array.isArray(raw) ? raw : [raw];
  const out: ArtilleryExpect = {};
  expectations.forEach((expectation: unknown, index) => {
    const path = Array.isArray(raw) ? [...at, index] : at;
    if (!isRecord(expectation)) return;
    for (const [key, value] of Object.entries(expectation)) {
      if (key === 'statusCode') {
        const codes = (Array.isArray(value) ? value : [value]).map(Number).filter((code) => Number.isInteger(code) && code >= 100 && code <= 599);
        out.status = [...new Set([...(out.status ?? []), ...codes])];
      } else if (key === 'contentType' && typeof value === 'string') {
        out.headers = { ...out.headers, 'content-type': value === 'json' ? 'json' : escapeRegex(value) };
      } else if (key === 'hasHeader' && typeof value === 'string') {
        out.headers = { ...out.headers, [value.toLowerCase()]: '.*' };
      } else if (key === 'hasProperty' && typeof value === 'string' && /^[\w.]+$/.test(value)) {
        out.body = { ...out.body, json: { ...out.body?.json, [`$.${value}`]: { matches: '.' } } };
      } else if (key === 'matchesRegexp' && typeof value === 'string') {
        out.body = { ...out.body, matches: value };
      } else {
        context.leave([...path, key], `expect ${key}`, 'perfctl expects a status, a body that contains a text, matches a regex or has JSON values, and header values: write this one as expect: { body: ... } by hand');
      }
    }
  });
  return Object.keys(out).length > 0 ? out : null;
}

function readCaptures(raw: unknown, at: FieldPath, context: Context): Record<string, unknown> | null {
  if (raw === undefined) return null;
  const captures = Array.isArray(raw) ? raw : [raw];
  const out: Record<string, unknown> = {};
  captures.forEach((capture: unknown, index) => {
    const path = Array.isArray(raw) ? [...at, index] : at;
    if (!isRecord(capture) || typeof capture['as'] !== 'string') return context.leave(path, 'capture', 'a capture needs `as:`');
    const name = capture['as'];
    if (typeof capture['json'] === 'string') out[name] = capture['json'];
    else if (typeof capture['header'] === 'string') out[name] = { header: capture['header'].toLowerCase() };
    else if (typeof capture['regexp'] === 'string') {
      out[name] = { regex: capture['regexp'] };
      if (capture['group'] !== undefined && capture['group'] !== 1) context.leave([...path, 'group'], `capture ${name}: group ${String(capture['group'])}`, 'perfctl takes the first group: reorder the groups of the regex');
    } else {
      const kind = Object.keys(capture).find((key) => key !== 'as') ?? '?';
      return context.leave(path, `capture ${name} (${kind})`, 'perfctl captures by JSON path, header or regex');
    }
    for (const key of Object.keys(capture)) {
      if (!['as', 'json', 'header', 'regexp', 'group'].includes(key)) context.leave([...path, key], `capture ${name}: ${key}`, key === 'strict' ? 'a capture that finds nothing always fails the step in perfctl' : 'not converted');
    }
  });
  return Object.keys(out).length > 0 ? out : null;
}

function readEnsure(config: Record<string, unknown>, context: Context): unknown[] {
  const plugins = isRecord(config['plugins']) ? config['plugins'] : {};
  const ensure = isRecord(config['ensure']) ? config['ensure'] : isRecord(plugins['ensure']) ? plugins['ensure'] : null;
  if (!ensure) return [];
  const base: FieldPath = isRecord(config['ensure']) ? ['config', 'ensure'] : ['config', 'plugins', 'ensure'];
  const row: Record<string, unknown> = { name: 'Whole API' };
  const lines: number[] = [];
  const latency = (key: string, metric: string, value: unknown, at: FieldPath): void => {
    if (typeof value !== 'number') return context.leave(at, `ensure ${key}`, 'not a number of ms');
    row[metric] = formatLatency(value);
    lines.push(context.at(at).line);
  };
  const metricOf: Record<string, string> = { min: '', max: 'max', median: 'p50', p50: 'p50', p75: 'p75', p90: 'p90', p95: 'p95', p99: 'p99', p999: 'p99.9', mean: 'mean' };
  for (const [key, value] of Object.entries(ensure)) {
    const at = [...base, key];
    if (key === 'maxErrorRate') {
      if (typeof value !== 'number') context.leave(at, 'ensure maxErrorRate', 'not a number');
      else {
        row['errorRate'] = formatPercent(value / 100);
        lines.push(context.at(at).line);
      }
    } else if (key === 'thresholds' && Array.isArray(value)) {
      value.forEach((threshold: unknown, index) => {
        if (!isRecord(threshold)) return;
        for (const [metricName, limit] of Object.entries(threshold)) {
          const match = /^http\.response_time\.(\w+)$/.exec(metricName);
          const metric = match ? metricOf[match[1] ?? ''] : undefined;
          if (metric) latency(metricName, metric, limit, [...at, index, metricName]);
          else context.leave([...at, index, metricName], `ensure ${metricName}`, 'perfctl checks http.response_time percentiles, the error rate and the request rate');
        }
      });
    } else if (key === 'conditions') {
      context.leave(at, 'ensure conditions', 'expressions are not converted: write each as a target row (p95: 200ms, errorRate: 1%)');
    } else if (metricOf[key]) {
      latency(key, metricOf[key]!, value, at);
    } else {
      context.leave(at, `ensure ${key}`, key === 'min' ? 'perfctl has no minimum-latency target' : 'not converted');
    }
  }
  if (lines.length === 0) return [];
  return [commented(row, `ensure (${context.file}:${Math.min(...lines)})`)];
}

function leaveOtherConfig(config: Record<string, unknown>, context: Context): void {
  const handled = ['target', 'phases', 'payload', 'variables', 'defaults', 'ensure', 'http'];
  const advice: Record<string, string> = {
    environments: 'pick the service with --base-url (perfctl run -u URL) and values with -e NAME=value',
    processor: 'JavaScript functions: perfctl runs no JavaScript; use captures and templates',
    tls: 'use perfctl run --insecure for self-signed certificates',
    plugins: 'plugins are not converted (ensure is: see targets)',
  };
  for (const key of Object.keys(config)) {
    if (handled.includes(key)) continue;
    if (key === 'plugins' && isRecord(config['plugins'])) {
      for (const plugin of Object.keys(config['plugins'])) {
        if (plugin !== 'ensure' && plugin !== 'expect') context.leave(['config', 'plugins', plugin], `plugin ${plugin}`, 'plugins are not converted');
      }
      continue;
    }
    context.leave(['config', key], `config.${key}`, advice[key] ?? 'not converted');
  }
  if (isRecord(config['http'])) {
    for (const key of Object.keys(config['http'])) {
      if (key !== 'timeout') context.leave(['config', 'http', key], `config.http.${key}`, key === 'pool' ? 'perfctl opens connections as needed' : 'not converted');
    }
  }
}
