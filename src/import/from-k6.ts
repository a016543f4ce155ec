// A k6 script -> a perfctl profile (SPEC §11): `options` (stages, scenarios with the ramping and
// constant executors, thresholds), setup() and the default function read from the syntax tree.
// One iteration of the default function is one pick of perfctl's mix: a single request is a
// request of the mix, several in order are a flow, and `Math.random() < p` branches give each
// alternative its weight. A trailing sleep() is the closed model's thinkTime.

import { block, commented } from './emit-yaml.js';
import { parseK6Script } from './k6-parse.js';
import type { JsNode, ParsedScript } from './k6-parse.js';
import { Captured, FunctionReader, FunctionValue, SetupRef } from './k6-script.js';
import type { Action, ReadContext, RequestAction, SleepAction, Value } from './k6-script.js';
import { parseThresholdKey, readThreshold } from './k6-thresholds.js';
import { formatDuration, formatLatency, formatPercent } from './limit-values.js';
import { baseUrlValue, NameRegistry, requestSlug, splitUrl } from './names.js';
import { guardSecretFields } from './secret-fields.js';
import { ImportInputError } from './types.js';
import type { Conversion, ImportOptions, SourceRemark } from './types.js';

/** the most alternatives one iteration may split into (nested branches multiply) */
const MAX_ALTERNATIVES = 64;

interface Module {
  script: ParsedScript;
  scope: Map<string, Value>;
  functions: Map<string, FunctionValue>;
  options: { node: JsNode; value: Value } | null;
  defaultFn: JsNode | null;
  setupFn: JsNode | null;
  teardownFn: JsNode | null;
}

interface Alternative {
  weight: number;
  steps: (RequestAction | SleepAction)[];
}

type LoadModel = 'open' | 'closed';

class K6Conversion {
  readonly leftOut: SourceRemark[] = [];
  readonly notes: SourceRemark[] = [];
  readonly placeholders = new Map<string, string>();
  readonly names = new NameRegistry();
  /** request -> its name in the profile, for thresholds by name or URL */
  readonly named: { name: string; request: RequestAction }[] = [];
  constructor(readonly script: ParsedScript, readonly file: string) {}

  leave(node: JsNode, advice: string, construct?: string): void {
    this.leftOut.push({ ...this.script.place(node), construct: construct ?? this.script.excerpt(node), advice });
  }
  note(node: JsNode, advice: string, construct?: string): void {
    this.notes.push({ ...this.script.place(node), construct: construct ?? this.script.excerpt(node), advice });
  }
  where(node: JsNode): string {
    return `${this.file}:${this.script.place(node).line}`;
  }
}

export interface K6Options extends ImportOptions {
  /** write setup() as setup: steps (default); false lists it as not converted, with placeholders for its data */
  setupSteps?: boolean;
}

/** perfctl runs setup: steps (SPEC §2) */
const SETUP_STEPS = true;

/** what setup() returns: each key a capture of its request ({{ setup.key }}) or a literal */
class SetupExports {
  private readonly exports = new Map<string, { captured: Captured } | { literal: string }>();

  read(returned: Value, node: JsNode, conversion: K6Conversion): void {
    if (returned === undefined) return;
    if (!isRecord(returned)) {
      conversion.leave(node, 'setup() returns something other than an object of values: its data is not converted', 'return of setup()');
      return;
    }
    for (const [key, value] of Object.entries(returned)) {
      if (value instanceof Captured) {
        for (const request of value.requests) request.captures[key] = value.capture;
        this.exports.set(key, { captured: value });
      } else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') {
        this.exports.set(key, { literal: String(value) });
      } else {
        conversion.leave(node, `setup() returns ${key} from JavaScript perfctl does not read: it is a placeholder`, `data.${key}`);
      }
    }
  }

  /** `data.token` -> `{{ setup.token }}`; `data.user.id` -> a capture of $.user.id; null when setup() did not return it */
  text(ref: SetupRef): string | null {
    const [key, ...rest] = ref.path;
    const entry = key === undefined ? undefined : this.exports.get(key);
    if (!entry) return null;
    if ('literal' in entry) return rest.length === 0 ? entry.literal : null;
    if (rest.length === 0) return `{{ setup.${key} }}`;
    if (!('json' in entry.captured.capture)) return null;
    const name = [key, ...rest].join('_').replace(/[^A-Za-z0-9_]/g, '_');
    const capture = { json: `${entry.captured.capture.json}${rest.map((part) => (/^\d+$/.test(part) ? `[${part}]` : `.${part}`)).join('')}` };
    for (const request of entry.captured.requests) request.captures[name] = capture;
    return `{{ setup.${name} }}`;
  }
}

export function importK6(text: string, options: K6Options): Conversion {
  const script = parseK6Script(text);
  const conversion = new K6Conversion(script, options.file);
  const setupSteps = options.setupSteps ?? SETUP_STEPS;
  const setupExports = new SetupExports();
  const module = readModule(script, conversion);
  if (!module.defaultFn && !module.options) {
    throw new ImportInputError('not a k6 script: it exports neither `options` nor a default function', { line: 1, col: 1 }, 'a k6 script has `export const options = { ... }` and `export default function () { ... }`');
  }

  const context: ReadContext = {
    script,
    leftOut: conversion.leftOut,
    notes: conversion.notes,
    k6Names: readK6Names(script.program),
    // data.x in the default function: what setup() returned, as {{ setup.x }} (or a placeholder)
    setupText: (ref) => {
      const written = setupExports.text(ref);
      if (written !== null) return written;
      const name = (ref.path.join('_') || 'setup_data').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase();
      conversion.placeholders.set(name, `the value setup() returned as data.${ref.path.join('.')} (log in once and pass it)`);
      return `\${${name}}`;
    },
    envText: (ref) => {
      if (ref.fallback !== undefined) return `\${${ref.name}:-${ref.fallback}}`;
      conversion.placeholders.set(ref.name, `read by the script from __ENV.${ref.name}`);
      return `\${${ref.name}}`;
    },
  };

  // options: stages / scenarios -> stages (several scenarios -> scenarios:); thresholds -> targets
  const load = readLoad(module, conversion);
  const execOf = (own: Load): JsNode | null => {
    const fn = own.exec ? module.functions.get(own.exec)?.node ?? null : module.defaultFn;
    if (own.exec && !fn) conversion.leftOut.push({ line: 1, col: 1, construct: `exec: ${own.exec}`, advice: 'no such function in the script' });
    return fn;
  };
  const exec = execOf(load);

  let setupActions: Action[] = [];
  if (module.setupFn) {
    const reader = new FunctionReader(context, module.functions);
    setupActions = reader.read(module.setupFn, module.scope);
    const requests = setupActions.filter((action) => action.kind === 'request').length;
    if (setupSteps && requests > 0) {
      setupExports.read(reader.returned, module.setupFn, conversion);
      conversion.note(module.setupFn, `${requests === 1 ? 'its request is a setup: step' : `its ${requests} requests are setup: steps`}, run once before the load; what it returns is {{ setup.NAME }}`, 'setup()');
    } else {
      conversion.leave(module.setupFn, `runs once before the load${requests > 0 ? ` (${requests} request${requests === 1 ? '' : 's'})` : ''}: perfctl's setup steps are on the way; meanwhile run it yourself and pass what it returns with -e NAME=value (the placeholders below)`, 'setup()');
      setupActions = [];
    }
  }
  if (module.teardownFn) conversion.leave(module.teardownFn, 'runs once after the load: perfctl\'s teardown steps are on the way', 'teardown()');

  const setupRequests = setupActions.filter((action): action is RequestAction => action.kind === 'request');
  // each function an iteration runs is read once (two scenarios may run the same one)
  const mixes = new Map<JsNode | null, Map<LoadModel, Mix>>();
  const mixOf = (fn: JsNode | null, model: LoadModel): Mix => {
    const byModel = mixes.get(fn) ?? new Map<LoadModel, Mix>();
    mixes.set(fn, byModel);
    const known = byModel.get(model);
    if (known) return known;
    let alternatives: Alternative[] = [];
    if (fn) {
      const reader = new FunctionReader(context, module.functions);
      const scope = new Map(module.scope);
      const param = (fn['params'] as JsNode[])[0];
      if (param && param.type === 'Identifier') scope.set(param['name'] as string, new SetupRef([]));
      alternatives = expand(reader.read(fn, scope), conversion, fn);
    }
    const built = buildMix(alternatives, model, conversion, fn, options.baseUrl, setupRequests);
    byModel.set(model, built);
    return built;
  };
  const mix = mixOf(exec, load.model);
  const document: Record<string, unknown> = {
    name: options.file.replace(/\.(m?js|ts)$/i, '').replace(/[^A-Za-z0-9_-]+/g, '-') || 'imported',
    description: `Imported from the k6 script ${options.file}`,
    baseUrl: mix.baseUrl,
  };
  if (load.scenarios) {
    // several k6 scenarios: perfctl scenarios, each with its own load shape and the mix of its exec
    const taken = new Set<string>();
    document['scenarios'] = Object.fromEntries(load.scenarios.map((part) => {
      const base = part.name.replace(/[^A-Za-z0-9_.-]+/g, '-').replace(/^[.-]+/, '') || 'scenario';
      let name = base;
      for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
      taken.add(name);
      const own = mixOf(execOf(part.load), part.load.model);
      const scenario: Record<string, unknown> = {};
      if (part.startAfter !== undefined) scenario['startAfter'] = part.startAfter;
      scenario['stages'] = part.load.stages;
      if (part.load.maxInFlight !== undefined) scenario['maxInFlight'] = part.load.maxInFlight;
      if (own.thinkTime) scenario['thinkTime'] = own.thinkTime;
      if (own.requests.length > 0) scenario['requests'] = own.requests;
      if (own.flows.length > 0) scenario['flows'] = own.flows.map((flow) => flow.value);
      if (own.requests.length === 0 && own.flows.length === 0) scenario['requests'] = [commented({ name: `${name}-placeholder`, path: '/' }, 'stands in for the requests its function does not have')];
      return [name, scenario];
    }));
  } else {
    document['stages'] = load.stages;
  }
  if (!load.scenarios && load.maxInFlight !== undefined) document['maxInFlight'] = load.maxInFlight;
  if (!load.scenarios && mix.thinkTime) document['thinkTime'] = mix.thinkTime;
  if (setupActions.length > 0) {
    document['setup'] = setupActions.flatMap((action) => {
      if (action.kind === 'sleep') return [commented({ think: action.think }, conversion.where(action.node))];
      if (action.kind === 'request') return [commented(block(mix.stepFor(action)), conversion.where(action.node))];
      conversion.leave(action.node, 'a random branch in setup(): perfctl runs every setup step once');
      return [];
    });
  }
  if (!load.scenarios && mix.requests.length > 0) document['requests'] = mix.requests;
  if (!load.scenarios && mix.flows.length > 0) document['flows'] = mix.flows.map((flow) => flow.value);
  if (!load.scenarios && mix.requests.length === 0 && mix.flows.length === 0) {
    // options alone (as plans quote them): the load shape converts, the requests are the user's to write
    const where = exec ? script.place(exec) : { line: 1, col: 1 };
    conversion.leftOut.push({ ...where, construct: exec ? 'the default function' : 'no default function', advice: 'sends no request perfctl can convert: a GET / stands in; write your requests (or import the script that has them)' });
    document['requests'] = [commented({ name: 'placeholder', path: '/' }, 'stands in for the requests the script does not have')];
  }
  const targets = readThresholds(module, conversion);
  if (targets.length > 0) document['targets'] = targets;

  const counted = load.scenarios ? [...new Set(load.scenarios.map((part) => mixOf(execOf(part.load), part.load.model)))] : [mix];
  const requestCount = counted.reduce((sum, m) => sum + m.requests.length + m.flows.reduce((n, flow) => n + flow.requests, 0), 0);
  return {
    output: 'profile',
    document,
    header: [`Imported by perfctl from the k6 script ${options.file}; comments name the source lines.`],
    leftOut: conversion.leftOut.sort((a, b) => a.line - b.line || a.col - b.col),
    notes: conversion.notes.sort((a, b) => a.line - b.line || a.col - b.col),
    placeholders: [...conversion.placeholders].map(([name, what]) => ({ name, what })),
    summary: `${load.scenarios ? `${load.scenarios.length} scenarios` : `${load.stages.length} stage${load.stages.length === 1 ? '' : 's'} (${load.model} model)`}, ${requestCount} request${requestCount === 1 ? '' : 's'}${mix.flows.length > 0 ? ` in ${mix.flows.length} flow${mix.flows.length === 1 ? '' : 's'}` : ''}${targets.length > 0 ? `, ${targets.length} target row${targets.length === 1 ? '' : 's'}` : ''}`,
  };
}

function readModule(script: ParsedScript, conversion: K6Conversion): Module {
  const module: Module = { script, scope: new Map(), functions: new Map(), options: null, defaultFn: null, setupFn: null, teardownFn: null };
  const context: ReadContext = {
    script,
    leftOut: conversion.leftOut,
    notes: conversion.notes,
    k6Names: readK6Names(script.program),
    setupText: () => null,
    envText: (ref) => (ref.fallback !== undefined ? `\${${ref.name}:-${ref.fallback}}` : `\${${ref.name}}`),
  };
  // module-level consts are read like the function bodies, without the requests (k6 sends none there)
  const reader = new FunctionReader({ ...context, leftOut: [], notes: [] }, module.functions);
  const declare = (declaration: JsNode): void => {
    if (declaration.type === 'FunctionDeclaration' && declaration['id']) {
      const name = (declaration['id'] as JsNode)['name'] as string;
      module.functions.set(name, new FunctionValue(declaration));
      if (name === 'setup') module.setupFn = declaration;
      if (name === 'teardown') module.teardownFn = declaration;
    } else if (declaration.type === 'VariableDeclaration') {
      for (const declarator of declaration['declarations'] as JsNode[]) {
        const id = declarator['id'] as JsNode;
        const init = declarator['init'] as JsNode | null;
        if (id.type !== 'Identifier') continue;
        const name = id['name'] as string;
        if (init && (init.type === 'ArrowFunctionExpression' || init.type === 'FunctionExpression')) {
          module.functions.set(name, new FunctionValue(init));
          if (name === 'setup') module.setupFn = init;
          continue;
        }
        const value = init ? reader.expression(init, module.scope) : undefined;
        module.scope.set(name, value);
        if (name === 'options' && init) module.options = { node: init, value };
      }
    }
  };
  for (const statement of script.program['body'] as JsNode[]) {
    switch (statement.type) {
      case 'ImportDeclaration': {
        const from = (statement['source'] as JsNode)['value'] as string;
        if (!/^k6(\/http)?$/.test(from) && !/jslib\.k6\.io\/k6-utils/.test(from)) {
          conversion.leave(statement, from === 'k6/metrics' ? 'custom metrics are not converted: perfctl records every request and step by name' : from === 'k6/data' ? 'SharedArray data: put it in a CSV file and read it with data: { row: { csv: ./file.csv } }' : 'not converted', `import from '${from}'`);
        }
        break;
      }
      case 'ExportNamedDeclaration':
        if (statement['declaration']) declare(statement['declaration'] as JsNode);
        break;
      case 'ExportDefaultDeclaration': {
        const declaration = statement['declaration'] as JsNode;
        if (['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression'].includes(declaration.type)) module.defaultFn = declaration;
        else if (declaration.type === 'Identifier') module.defaultFn = module.functions.get(declaration['name'] as string)?.node ?? null;
        break;
      }
      case 'FunctionDeclaration':
      case 'VariableDeclaration':
        declare(statement);
        break;
      case 'EmptyStatement':
        break;
      default:
        conversion.leave(statement, 'code at the top of the script (k6\'s init context) is not converted');
    }
  }
  return module;
}

function readK6Names(program: JsNode): ReadContext['k6Names'] {
  const names: ReadContext['k6Names'] = { http: new Set(), check: new Set(), sleep: new Set(), group: new Set(), randomIntBetween: new Set(), randomItem: new Set(), uuidv4: new Set(), randomString: new Set() };
  for (const statement of program['body'] as JsNode[]) {
    if (statement.type !== 'ImportDeclaration') continue;
    const from = (statement['source'] as JsNode)['value'] as string;
    for (const specifier of statement['specifiers'] as JsNode[]) {
      const local = (specifier['local'] as JsNode)['name'] as string;
      if (from === 'k6/http' && (specifier.type === 'ImportDefaultSpecifier' || specifier.type === 'ImportNamespaceSpecifier')) names.http.add(local);
      if (specifier.type !== 'ImportSpecifier') continue;
      const imported = (specifier['imported'] as JsNode)['name'] as string;
      if (from === 'k6' && (imported === 'check' || imported === 'sleep' || imported === 'group')) names[imported].add(local);
      if (/k6-utils/.test(from) && (imported === 'randomIntBetween' || imported === 'randomItem' || imported === 'uuidv4' || imported === 'randomString')) names[imported].add(local);
    }
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// options: the load shape

interface Load {
  model: LoadModel;
  stages: unknown[];
  maxInFlight?: number;
  /** scenarios[...].exec: the function an iteration runs */
  exec?: string;
  /** several k6 scenarios: each its own load (and exec), started after its startTime */
  scenarios?: Array<{ name: string; load: Load; startAfter?: string }>;
}

const isRecord = (value: Value): value is { [key: string]: Value } => typeof value === 'object' && value !== null && !Array.isArray(value) && Object.getPrototypeOf(value) === Object.prototype;

/** k6 durations (`30s`, `1m30s`, `2h`, `500ms`, or a number of ms) -> perfctl's */
export function k6Duration(value: Value): string | null {
  if (typeof value === 'number') return value >= 0 ? formatDuration(value) : null;
  if (typeof value !== 'string') return null;
  const text = value.trim();
  if (!/^(\d+(\.\d+)?(ms|s|m|h))+$/.test(text)) return null;
  let ms = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(part[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[part[2] as 'ms']!;
  return formatDuration(Math.round(ms));
}

/** where in the options object a key is written, for comments and remarks */
function optionNode(options: JsNode | undefined, path: string[]): JsNode | undefined {
  let node = options;
  for (const key of path) {
    if (!node || node.type !== 'ObjectExpression') return node;
    const property = (node['properties'] as JsNode[]).find((candidate) => candidate.type === 'Property' && ((candidate['key'] as JsNode)['name'] === key || (candidate['key'] as JsNode)['value'] === key));
    if (!property) return node;
    node = property['value'] as JsNode;
  }
  return node;
}

function readLoad(module: Module, conversion: K6Conversion): Load {
  const options = module.options?.value;
  const optionsNode = module.options?.node;
  if (!isRecord(options)) {
    if (module.options) conversion.leave(module.options.node, 'options are not an object of literals: write the stages by hand');
    else conversion.leftOut.push({ line: 1, col: 1, construct: 'no options', advice: 'k6 runs 1 user once without options: a hold of 1 user for 1m stands in; write your stages' });
    return { model: 'closed', stages: [{ duration: '1m', vus: 1 }] };
  }
  const at = (...path: string[]): JsNode => optionNode(optionsNode, path) ?? optionsNode!;
  const known = ['stages', 'vus', 'duration', 'thresholds', 'scenarios', 'iterations'];
  for (const key of Object.keys(options)) {
    if (known.includes(key)) continue;
    const advice: Record<string, string> = {
      insecureSkipTLSVerify: 'use perfctl run --insecure',
      noConnectionReuse: 'perfctl keeps connections alive',
      userAgent: 'write a user-agent header on the requests',
      discardResponseBodies: 'perfctl reads a body only when a capture or expect needs it',
      summaryTrendStats: 'perfctl reports p50, p75, p90, p95, p99, p99.9, mean and max',
      maxRedirects: "perfctl's http.redirects (on the way) sets it for the profile",
    };
    conversion.leave(at(key), advice[key] ?? 'not converted', `options.${key}`);
  }
  if (options['iterations'] !== undefined) conversion.leave(at('iterations'), 'perfctl runs for the stages\' duration: stop after N requests with perfctl run -n N', 'options.iterations');

  if (isRecord(options['scenarios'])) {
    const entries = Object.entries(options['scenarios']);
    const readable = entries.filter((entry): entry is [string, { [key: string]: Value }] => isRecord(entry[1]));
    if (readable.length > 1) {
      const scenarios = readable.map(([name, scenario]) => {
        const startAfter = scenario['startTime'] === undefined ? undefined : k6Duration(scenario['startTime']);
        if (startAfter === null) conversion.leave(at('scenarios', name, 'startTime'), 'not a duration: the scenario starts with the others', `scenarios.${name}.startTime`);
        return { name, load: readScenario(name, scenario, (...path) => at('scenarios', name, ...path), conversion, true), ...(startAfter ? { startAfter } : {}) };
      });
      return { ...scenarios[0]!.load, scenarios };
    }
    const [name, scenario] = readable[0] ?? [];
    if (name !== undefined && isRecord(scenario)) return readScenario(name, scenario, (...path) => at('scenarios', name, ...path), conversion);
  }
  if (Array.isArray(options['stages'])) {
    const start = typeof options['vus'] === 'number' ? options['vus'] : 1;
    return { model: 'closed', stages: readStages(options['stages'], 'vus', 1, start, (...path) => at('stages', ...path), conversion, 'k6 starts the stages at options.vus (default 1)') };
  }
  const vus = typeof options['vus'] === 'number' ? options['vus'] : 1;
  const duration = k6Duration(options['duration'] ?? null);
  if (!duration) {
    conversion.leave(at(), 'no stages, scenarios or duration: a hold of 1m stands in', 'options');
    return { model: 'closed', stages: [{ duration: '1m', vus }] };
  }
  return { model: 'closed', stages: [commented({ name: 'hold', duration, vus }, `options.vus, options.duration (${conversion.where(at('duration'))})`)] };
}

/** stages of `{ duration, target }`; the first ramps from `start` */
function readStages(raw: Value[], unit: 'vus' | 'rate', perSecond: number, start: number, at: (...path: string[]) => JsNode, conversion: K6Conversion, startNote: string): unknown[] {
  const stages: unknown[] = [];
  raw.forEach((stage, index) => {
    const node = stageNode(at('stages'), index) ?? at();
    if (!isRecord(stage)) return conversion.leave(node, 'not an object of literals', `stages[${index}]`);
    const duration = k6Duration(stage['duration'] ?? null);
    const target = typeof stage['target'] === 'number' ? stage['target'] : null;
    if (!duration || target === null) return conversion.leave(node, 'a stage needs a duration ("2m") and a numeric target', `stages[${index}]`);
    const level = unit === 'vus' ? Math.round(target) : round(target * perSecond);
    const entry: Record<string, unknown> = { duration };
    if (stages.length === 0) entry['from'] = unit === 'vus' ? start : round(start * perSecond);
    entry[unit] = level;
    stages.push(commented(entry, `${conversion.where(node)}${stages.length === 0 ? `; ${startNote}` : ''}`));
  });
  return stages.length > 0 ? stages : [{ duration: '1m', [unit]: 1 }];
}

function stageNode(stagesNode: JsNode, index: number): JsNode | undefined {
  return stagesNode.type === 'ArrayExpression' ? ((stagesNode['elements'] as JsNode[])[index] ?? undefined) : undefined;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

function readScenario(name: string, scenario: { [key: string]: Value }, at: (...path: string[]) => JsNode, conversion: K6Conversion, several = false): Load {
  const executor = typeof scenario['executor'] === 'string' ? scenario['executor'] : '';
  const exec = typeof scenario['exec'] === 'string' ? scenario['exec'] : undefined;
  const handled = ['executor', 'exec', 'stages', 'startVUs', 'vus', 'duration', 'startRate', 'timeUnit', 'rate', 'preAllocatedVUs', 'maxVUs', 'gracefulRampDown', 'gracefulStop', ...(several ? ['startTime'] : [])];
  for (const key of Object.keys(scenario)) {
    if (!handled.includes(key)) conversion.leave(at(key), key === 'startTime' ? 'the only scenario starts at once (a startTime matters beside other scenarios: perfctl startAfter)' : 'not converted', `scenarios.${name}.${key}`);
  }
  const base = { ...(exec ? { exec } : {}) };
  const timeUnitMs = scenario['timeUnit'] === undefined ? 1000 : durationMs(scenario['timeUnit']);
  const perSecond = timeUnitMs ? 1000 / timeUnitMs : 1;
  const maxInFlight = typeof scenario['maxVUs'] === 'number' ? scenario['maxVUs'] : typeof scenario['preAllocatedVUs'] === 'number' ? scenario['preAllocatedVUs'] : undefined;
  const where = conversion.where(at());
  switch (executor) {
    case 'ramping-vus': {
      const start = typeof scenario['startVUs'] === 'number' ? scenario['startVUs'] : 1;
      return { ...base, model: 'closed', stages: readStages(Array.isArray(scenario['stages']) ? scenario['stages'] : [], 'vus', 1, start, at, conversion, `ramping-vus from startVUs ${start}`) };
    }
    case 'constant-vus': {
      const duration = k6Duration(scenario['duration'] ?? null) ?? '1m';
      const vus = typeof scenario['vus'] === 'number' ? scenario['vus'] : 1;
      return { ...base, model: 'closed', stages: [commented({ name, duration, vus }, `constant-vus (${where})`)] };
    }
    case 'ramping-arrival-rate': {
      const start = typeof scenario['startRate'] === 'number' ? scenario['startRate'] : 0;
      if (maxInFlight !== undefined) conversion.note(at('maxVUs'), `k6's VU pool is perfctl's maxInFlight: ${maxInFlight}`, `scenarios.${name}.maxVUs`);
      return { ...base, model: 'open', stages: readStages(Array.isArray(scenario['stages']) ? scenario['stages'] : [], 'rate', perSecond, start, at, conversion, `ramping-arrival-rate from startRate ${start}`), ...(maxInFlight !== undefined ? { maxInFlight } : {}) };
    }
    case 'constant-arrival-rate': {
      const duration = k6Duration(scenario['duration'] ?? null) ?? '1m';
      const rate = round((typeof scenario['rate'] === 'number' ? scenario['rate'] : 1) * perSecond);
      if (maxInFlight !== undefined) conversion.note(at('maxVUs'), `k6's VU pool is perfctl's maxInFlight: ${maxInFlight}`, `scenarios.${name}.maxVUs`);
      return { ...base, model: 'open', stages: [commented({ name, duration, rate }, `constant-arrival-rate (${where})`)], ...(maxInFlight !== undefined ? { maxInFlight } : {}) };
    }
    default: {
      conversion.leave(at('executor'), `the ${executor || 'default'} executor is not converted: the nearest is a hold of vus users (closed model), stopped after N requests with perfctl run -n N`, `scenarios.${name}.executor`);
      const vus = typeof scenario['vus'] === 'number' ? scenario['vus'] : 1;
      return { ...base, model: 'closed', stages: [{ name, duration: k6Duration(scenario['maxDuration'] ?? scenario['duration'] ?? null) ?? '1m', vus }] };
    }
  }
}

function durationMs(value: Value): number | null {
  const text = k6Duration(value);
  if (!text) return null;
  let ms = 0;
  for (const part of text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h)/g)) ms += Number(part[1]) * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[part[2] as 'ms']!;
  return ms;
}

// ---------------------------------------------------------------------------------------------
// the iteration: alternatives by weight

function expand(actions: Action[], conversion: K6Conversion, fn: JsNode): Alternative[] {
  let alternatives: Alternative[] = [{ weight: 1, steps: [] }];
  for (const action of actions) {
    if (action.kind !== 'branch') {
      alternatives = alternatives.map((alternative) => ({ ...alternative, steps: [...alternative.steps, action] }));
      continue;
    }
    const next: Alternative[] = [];
    for (const alternative of alternatives) {
      for (const option of action.options) {
        for (const inner of expand(option.actions, conversion, fn)) {
          next.push({ weight: alternative.weight * option.weight * inner.weight, steps: [...alternative.steps, ...inner.steps] });
        }
      }
    }
    if (next.length > MAX_ALTERNATIVES) {
      conversion.leave(action.node, `the branches make ${next.length} alternatives, more than ${MAX_ALTERNATIVES}: write the mix by hand`);
      continue;
    }
    const probabilities = action.options.map((option) => Math.round(option.weight * 1000) / 10);
    if (action.options.length > 1 && !(action.options.every((option) => option.actions.length === 1 && option.actions[0]?.kind === 'request'))) {
      conversion.note(action.node, `a random branch: each way is a weighted alternative of the mix (${probabilities.join('/')}); perfctl picks by smooth weighted round-robin, so the shares are exact, not random`, `if (${conversion.script.excerpt(action.node['test'] ?? action.node, 30)})`);
    } else if (action.options.length > 1 && action.node.type === 'IfStatement') {
      conversion.note(action.node, `a random branch: a weighted request mix (${probabilities.join('/')}); perfctl picks by smooth weighted round-robin, so the shares are exact, not random`, `if (${conversion.script.excerpt(action.node['test'] ?? action.node, 30)})`);
    }
    alternatives = next;
  }
  const empty = alternatives.filter((alternative) => !alternative.steps.some((step) => step.kind === 'request'));
  if (empty.length > 0 && alternatives.length > empty.length) {
    const share = Math.round(empty.reduce((sum, alternative) => sum + alternative.weight, 0) * 1000) / 10;
    conversion.note(fn, `${share}% of the iterations send no request: perfctl's mix has no empty pick, so the other shares grow in proportion`, 'an iteration without requests');
  }
  return alternatives.filter((alternative) => alternative.steps.some((step) => step.kind === 'request'));
}

interface Mix {
  /** a request as a step of the profile (setup steps are made after the mix, with its base URL) */
  stepFor(request: RequestAction): Record<string, unknown>;
  baseUrl: unknown;
  thinkTime?: unknown;
  requests: unknown[];
  flows: { value: unknown; requests: number }[];
}

function buildMix(alternatives: Alternative[], model: LoadModel, conversion: K6Conversion, fn: JsNode | null, givenBaseUrl: string | undefined, setupRequests: RequestAction[]): Mix {
  // a sleep at the end of every alternative is the pause between a user's iterations
  let thinkTime: unknown;
  const last = alternatives.map((alternative) => alternative.steps[alternative.steps.length - 1]);
  const trailing = last.every((step) => step?.kind === 'sleep') && new Set(last.map((step) => (step as SleepAction).think)).size === 1 ? (last[0] as SleepAction | undefined) : undefined;
  if (trailing && alternatives.length > 0) {
    alternatives = alternatives.map((alternative) => ({ ...alternative, steps: alternative.steps.slice(0, -1) }));
    if (model === 'closed') thinkTime = commented(trailing.think, `sleep at the end of the iteration (${conversion.where(trailing.node)})`);
    else conversion.note(trailing.node, 'dropped: in the open model an arrival\'s trailing sleep does not change the arrival rate', 'sleep()');
  }

  const origins = new Map<string, number>();
  for (const steps of [...alternatives.map((alternative) => alternative.steps), setupRequests]) {
    for (const step of steps) {
      if (step.kind !== 'request') continue;
      const split = splitUrl(step.url) ?? envSplit(step.url);
      if (split) origins.set(split.origin, (origins.get(split.origin) ?? 0) + 1);
    }
  }
  const origin = [...origins.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  const pathOf = (url: string): string => {
    const split = splitUrl(url) ?? envSplit(url);
    return split && split.origin === origin ? split.path : url;
  };

  const total = alternatives.reduce((sum, alternative) => sum + alternative.weight, 0) || 1;
  const weightOf = (alternative: Alternative): number | undefined => (alternatives.length > 1 ? Math.round((alternative.weight / total) * 100 * 100) / 100 : undefined);
  const stepOf = (request: RequestAction): Record<string, unknown> => {
    const path = pathOf(request.url);
    const name = conversion.names.take(request.name ?? requestSlug(request.method, path));
    conversion.named.push({ name, request });
    const step: Record<string, unknown> = { name };
    if (request.method !== 'GET') step['method'] = request.method;
    step['path'] = path;
    if (Object.keys(request.headers).length > 0) step['headers'] = request.headers;
    if (request.body && 'json' in request.body) {
      step['json'] = guardSecretFields(request.body.json, (variable) =>
        conversion.note(request.node, `read from \${${variable}:-...} with the script's value as the default, so every report shows *** (set ${variable} to change it)`, `a literal ${variable.toLowerCase()} in the body`),
      );
    }
    else if (request.body) step['body'] = request.body.text;
    if (request.expectStatus || request.expectBody || request.expectHeaders) {
      step['expect'] = {
        ...(request.expectStatus ? { status: request.expectStatus } : {}),
        ...(request.expectBody ? { body: request.expectBody } : {}),
        ...(request.expectHeaders ? { headers: request.expectHeaders } : {}),
      };
    }
    if (Object.keys(request.captures).length > 0) {
      step['capture'] = Object.fromEntries(Object.entries(request.captures).map(([key, capture]) => [key, 'json' in capture ? capture.json : capture]));
    }
    return step;
  };

  const requests: unknown[] = [];
  const flows: Mix['flows'] = [];
  const flowNames = new NameRegistry();
  for (const alternative of alternatives) {
    const weight = weightOf(alternative);
    const only = alternative.steps.length === 1 ? alternative.steps[0] : undefined;
    if (only && only.kind === 'request') {
      const step = stepOf(only);
      if (weight !== undefined) step['weight'] = weight;
      requests.push(commented(Object.keys(step).length > 3 ? block(step) : step, conversion.where(only.node)));
      continue;
    }
    const steps = alternative.steps.map((step) => (step.kind === 'sleep' ? commented({ think: step.think }, conversion.where(step.node)) : commented(block(stepOf(step)), conversion.where(step.node))));
    const name = flowNames.take(conversion.names.take('iteration'));
    flows.push({
      value: commented(block({ name, ...(weight !== undefined ? { weight } : {}), steps }), fn ? `the default function (${conversion.where(fn)})` : undefined),
      requests: alternative.steps.filter((step) => step.kind === 'request').length,
    });
  }
  const baseUrl = givenBaseUrl === undefined && origin?.startsWith('$') ? origin : baseUrlValue(givenBaseUrl, origin);
  return { stepFor: stepOf, baseUrl: commented(baseUrl, origin && givenBaseUrl === undefined ? 'where the script sends its requests' : undefined), ...(thinkTime ? { thinkTime } : {}), requests, flows };
}

/** `${BASE_URL:-http://x}/path`: the variable is the base URL */
function envSplit(url: string): { origin: string; path: string } | null {
  const match = /^(\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\})(\/.*)?$/.exec(url);
  return match ? { origin: match[1] ?? '', path: match[2] ?? '/' } : null;
}

// ---------------------------------------------------------------------------------------------
// thresholds -> target rows

function readThresholds(module: Module, conversion: K6Conversion): unknown[] {
  const options = module.options?.value;
  if (!isRecord(options) || !isRecord(options['thresholds'])) return [];
  const thresholdsNode = optionNode(module.options!.node, ['thresholds']);
  const rows = new Map<string, { row: Record<string, unknown>; lines: number[] }>();
  let judgedNote = false;
  for (const [key, raw] of Object.entries(options['thresholds'])) {
    const node = optionNode(thresholdsNode, [key]) ?? thresholdsNode ?? module.options!.node;
    const { metric, tags } = parseThresholdKey(key);
    const scope = thresholdScope(metric, tags, conversion);
    if ('advice' in scope) {
      conversion.leave(node, scope.advice, key);
      continue;
    }
    const entries = Array.isArray(raw) ? raw : [raw];
    for (const entry of entries) {
      const expression = typeof entry === 'string' ? entry : isRecord(entry) && typeof entry['threshold'] === 'string' ? entry['threshold'] : null;
      if (expression === null) {
        conversion.leave(node, 'not a threshold expression', key);
        continue;
      }
      const read = readThreshold(metric, expression);
      if (!read.ok) {
        conversion.leave(node, read.advice, `${key}: ${expression}`);
        continue;
      }
      const existing = rows.get(scope.name) ?? { row: { name: scope.name, ...(scope.requests ? { requests: scope.requests } : {}) }, lines: [] };
      if (existing.row[read.metric] !== undefined) {
        conversion.leave(node, `a second ${read.metric} limit for the same requests: perfctl keeps the first`, `${key}: ${expression}`);
        continue;
      }
      existing.row[read.metric] = read.metric === 'errorRate' ? formatPercent(read.limit) : read.metric === 'rps' ? read.limit : formatLatency(read.limit);
      if (isRecord(entry) && entry['abortOnFail'] === true) existing.row['abortOnFail'] = true;
      if (isRecord(entry) && entry['delayAbortEval'] !== undefined) conversion.note(node, 'perfctl judges an abortOnFail row after 5 s and 100 samples', `${key}: delayAbortEval`);
      existing.lines.push(conversion.script.place(node).line);
      if (read.note) conversion.note(node, read.note, `${key}: ${expression}`);
      rows.set(scope.name, existing);
      if (!judgedNote) {
        judgedNote = true;
        conversion.note(thresholdsNode ?? node, 'k6 judges a threshold on its value alone; perfctl on a confidence bound, so a check with too few samples is uncertain (exit 4) instead of passed (confidence: off on a row judges on the value, as k6 does)', 'thresholds');
      }
    }
  }
  return [...rows.values()].map(({ row, lines }) => commented(row, `thresholds (${conversion.file}:${Math.min(...lines)})`));
}

/** the requests a threshold's tags select: a row name and the request names */
function thresholdScope(metric: string, tags: Record<string, string>, conversion: K6Conversion): { name: string; requests?: string[] } | { advice: string } {
  const keys = Object.keys(tags).filter((tag) => !(tag === 'expected_response' && tags[tag] === 'true'));
  if (metric === 'checks') {
    const withExpect = conversion.named.filter((entry) => entry.request.expectStatus || entry.request.expectBody || entry.request.expectHeaders).map((entry) => entry.name);
    return withExpect.length > 0 ? { name: 'Checks', requests: withExpect } : { advice: 'no request has a status check perfctl converted' };
  }
  if (keys.length === 0) return { name: 'All requests' };
  if (keys.length > 1) return { advice: 'perfctl selects requests by one tag (name, url or method)' };
  const tag = keys[0]!;
  const value = tags[tag]!;
  let names: string[] = [];
  if (tag === 'name') names = conversion.named.filter((entry) => entry.request.name === value || entry.name === value || entry.request.url === value).map((entry) => entry.name);
  else if (tag === 'url') names = conversion.named.filter((entry) => entry.request.url === value).map((entry) => entry.name);
  else if (tag === 'method') names = conversion.named.filter((entry) => entry.request.method === value.toUpperCase()).map((entry) => entry.name);
  else return { advice: `perfctl has no ${tag} tag: name the requests of the row with requests: [...]` };
  if (names.length === 0) return { advice: `no converted request has ${tag} ${value}` };
  return { name: value, requests: names };
}

