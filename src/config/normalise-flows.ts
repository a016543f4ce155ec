// `flows:` and `data:` of a profile: multi-step journeys with captures and think steps, and the
// CSV files their templates read. Every template is compiled here, once, and every reference is
// checked before anything is sent: a name must be captured by an earlier step of the same flow,
// be a column of a data file, or be an environment variable.

import { dirname, resolve } from 'node:path';
import type { InputIssue } from '../errors.js';
import { parseCsv } from './csv.js';
import { didYouMeanHint, suggest } from './did-you-mean.js';
import { readThinkTime } from './duration.js';
import { envValue, isSecretName } from './env.js';
import type { Env } from './env.js';
import { displayPath, fileExists, readInputFile } from './files.js';
import { parseJsonPath } from './json-path.js';
import { readExpect, readRequestHttpField } from './normalise-http.js';
import { checkRequestPath, headerName, readExpectStatus, readMethod, secretHeaders, type TemplatedRequest } from './normalise-requests.js';
import { isStreamItem, readStream } from './normalise-streams.js';
import { has, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import { checkCall } from './template-functions.js';
import { encodeTemplateValue, hasTemplate, parseTemplate, templateSyntaxHint } from './template.js';
import type { TemplateRef } from './template.js';
import type {
  CaptureSpec,
  DataSourceSpec,
  FlowRequestStep,
  FlowStreamStep,
  FlowSpec,
  FlowStep,
  Template,
  TemplateEncoding,
  TemplatePart,
} from './types.js';
import { issueAt } from './yaml-source.js';
import type { FieldPath, YamlSource } from './yaml-source.js';

const scopeName = /^[A-Za-z_][A-Za-z0-9_]*$/;
const captureName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

// ---------------------------------------------------------------------------------------------
// data:

export interface DataContext {
  source: YamlSource;
  /** the profile file, absolute: CSV paths are relative to it */
  profilePath: string;
  cwd: string;
}

/** Reads every `data:` source (CSV files relative to the profile); issues in the profile or the CSV. */
export async function loadDataSources(raw: unknown, context: DataContext): Promise<{ sources: DataSourceSpec[]; issues: InputIssue[] }> {
  const issues: InputIssue[] = [];
  const sources: DataSourceSpec[] = [];
  if (!isRecord(raw)) return { sources, issues };
  for (const [name, entry] of Object.entries(raw)) {
    const path = ['data', name];
    if (!scopeName.test(name) || name === 'env') {
      const why = name === 'env' ? '`env` is kept for {{ env.NAME }}' : 'a data source name is a word (letters, digits, _), used as {{ name.column }}';
      issues.push(issueAt(context.source, path, `"${name}" cannot name a data source`, why, 'key'));
      continue;
    }
    if (!isRecord(entry) || typeof entry['csv'] !== 'string' || entry['csv'] === '') continue; // the schema says what is missing
    const csv = entry['csv'];
    const order = entry['order'] === 'random' ? 'random' : 'sequence';
    const abs = resolve(dirname(context.profilePath), csv);
    const shown = displayPath(abs, context.cwd);
    if (!(await fileExists(abs))) {
      issues.push(issueAt(context.source, [...path, 'csv'], `data file "${csv}" not found`, `looked for ${shown}; the path is relative to the profile`));
      continue;
    }
    const { table, problems } = parseCsv(await readInputFile(abs, shown, 'data file'));
    for (const problem of problems) {
      issues.push({ file: shown, line: problem.line, col: problem.col, path: '', message: problem.message, ...(problem.hint ? { hint: problem.hint } : {}) });
    }
    if (problems.length > 0) continue;
    sources.push({ name, file: shown, order, columns: table.columns, rows: table.rows });
  }
  return { sources, issues };
}

// ---------------------------------------------------------------------------------------------
// flows:

export interface FlowsContext {
  source: YamlSource;
  env: Env;
  /** the names of the plain requests: flow and step names must differ from them */
  requestNames: readonly string[];
  dataSources: readonly DataSourceSpec[];
  /** `data:` sources that exist in the profile but could not be read (already reported) */
  brokenSources: readonly string[];
  /** the profile has `requests`: without them, `flows` is required */
  hasRequests: boolean;
  /** plain requests with templates: each becomes a one-step flow (its step is the request) */
  templatedRequests?: readonly TemplatedRequest[];
  /** the names the `setup:` steps capture, for {{ setup.NAME }}; undefined while checking the setup steps */
  setupCaptures?: readonly string[];
}

export interface NormalisedFlows {
  flows: FlowSpec[];
  /** values that must never reach a report: secret header literals, secret env values */
  secrets: string[];
  issues: InputIssue[];
}

export function normaliseFlows(raw: unknown, context: FlowsContext): NormalisedFlows {
  const issues: InputIssue[] = [];
  const report: Report = (path, message, hint) => issues.push(issueAt(context.source, path, message, hint));
  const secrets: string[] = [];
  const flows: FlowSpec[] = [];
  const items = Array.isArray(raw) ? raw : [];
  if (!context.hasRequests && raw === undefined) {
    report([], '`requests` is missing', 'add `requests` (single requests) or `flows` (multi-step journeys)');
  }

  // every name becomes a result group: requests, flows and steps share one namespace
  const taken = new Map<string, string>(context.requestNames.map((name, index) => [name, `requests.${index}`]));
  const claim = (name: string, path: FieldPath, explicit: boolean, what: string): void => {
    const first = taken.get(name);
    if (first === undefined) {
      taken.set(name, path.join('.'));
      return;
    }
    report(explicit ? [...path, 'name'] : path, `${what} name "${name}" is already used by ${first}`, 'requests, flows and steps each need their own name: they are the groups of the results');
  };

  for (const request of context.templatedRequests ?? []) {
    const path: FieldPath = ['requests', request.index];
    const checker = new FlowChecker(request.name, path, [], context, report, secrets);
    const step = checker.step({ ...request.item, name: request.name }, path);
    if (step === undefined) continue;
    const weight = typeof request.item['weight'] === 'number' && request.item['weight'] > 0 ? request.item['weight'] : 1;
    flows.push({ name: request.name, weight, steps: [step], single: true });
  }

  items.forEach((item: unknown, index) => {
    if (!isRecord(item)) return;
    const path: FieldPath = ['flows', index];
    const name = typeof item['name'] === 'string' && item['name'] !== '' ? item['name'] : `flow-${index + 1}`;
    claim(name, path, typeof item['name'] === 'string', 'flow');
    const rawSteps: unknown[] = Array.isArray(item['steps']) ? item['steps'] : [];
    const checker = new FlowChecker(name, path, rawSteps, context, report, secrets);
    const steps = checkSteps(rawSteps, [...path, 'steps'], checker, report, (step, stepPath, explicit) => claim(step.name, stepPath, explicit, 'step'));
    if (rawSteps.length > 0 && rawSteps.every((rawStep) => isRecord(rawStep) && has(rawStep, 'think'))) {
      report([...path, 'steps'], `flow "${name}" has no request step`, 'a flow needs at least one step with a `path`');
    }
    const weight = typeof item['weight'] === 'number' && item['weight'] > 0 ? item['weight'] : 1;
    flows.push({ name, weight, steps });
  });
  return { flows, secrets: [...new Set(secrets)], issues };
}

/** most steps a flow may have once its repeat blocks are unrolled */
const MAX_UNROLLED_STEPS = 10_000;

/**
 * The steps of a list in order, each checked once; a `repeat: n` block's steps are checked once
 * and run n times (unrolled here, so repeating costs nothing per request).
 */
export function checkSteps(
  rawSteps: readonly unknown[],
  basePath: FieldPath,
  checker: FlowChecker,
  report: Report,
  claim?: (step: FlowRequestStep | FlowStreamStep, path: FieldPath, explicit: boolean) => void,
): FlowStep[] {
  const steps: FlowStep[] = [];
  rawSteps.forEach((rawStep: unknown, stepIndex) => {
    if (!isRecord(rawStep)) return;
    const path = [...basePath, stepIndex];
    if (has(rawStep, 'repeat') || has(rawStep, 'steps')) {
      const others = Object.keys(rawStep).filter((key) => key !== 'repeat' && key !== 'steps');
      if (others.length > 0) return checker.reportAt([...path, others[0]!], 'a repeat block has only `repeat` and `steps`', 'put `when:` or the request on the steps inside it');
      if (!has(rawStep, 'steps')) return checker.reportAt(path, '`repeat` needs `steps`: the steps to run again', 'e.g. `- repeat: 3` with `steps: [ { path: /next } ]`');
      if (!has(rawStep, 'repeat')) return checker.reportAt(path, '`steps` needs `repeat`: how many times to run them', 'e.g. `repeat: 3`');
      const times = rawStep['repeat'];
      const inner = checkSteps(Array.isArray(rawStep['steps']) ? rawStep['steps'] : [], [...path, 'steps'], checker, report, claim);
      if (typeof times !== 'number' || !Number.isInteger(times) || times < 1) return; // the schema says why
      if (steps.length + inner.length * times > MAX_UNROLLED_STEPS) {
        return checker.reportAt([...path, 'repeat'], `the flow would have ${steps.length + inner.length * times} steps, more than ${MAX_UNROLLED_STEPS}`, 'repeat fewer times, or run the flow more often instead');
      }
      for (let n = 0; n < times; n++) steps.push(...inner);
      return;
    }
    const step = checker.step(rawStep, path);
    if (step === undefined) return;
    if (step.kind === 'request' || step.kind === 'stream') claim?.(step, path, typeof rawStep['name'] === 'string');
    steps.push(step);
  });
  return steps;
}

/** Checks the steps of one flow in order, knowing what earlier steps captured. */
export class FlowChecker {
  /** names captured by the steps checked so far, and where */
  private readonly captured = new Map<string, number>();
  /** every name captured anywhere in this flow (to say "captured by a later step") */
  private readonly capturedLater: Map<string, number>;

  constructor(
    private readonly flowName: string,
    private readonly flowPath: FieldPath,
    rawSteps: readonly unknown[],
    private readonly context: FlowsContext,
    private readonly report: Report,
    private readonly secrets: string[],
  ) {
    this.capturedLater = new Map();
    rawSteps.forEach((step: unknown, index) => {
      if (isRecord(step) && isRecord(step['capture'])) for (const key of Object.keys(step['capture'])) if (!this.capturedLater.has(key)) this.capturedLater.set(key, index);
    });
  }

  reportAt(path: FieldPath, message: string, hint?: string): void {
    this.report(path, message, hint);
  }

  step(raw: Record<string, unknown>, path: FieldPath): FlowStep | undefined {
    if (has(raw, 'think')) {
      const others = Object.keys(raw).filter((key) => key !== 'think' && key !== 'name' && key !== 'when');
      if (others.length > 0) {
        this.report([...path, others[0]!], `a think step has only \`think\` (and \`when\`)`, 'put the request in a step of its own');
        return undefined;
      }
      const think = readThinkTime(raw['think']);
      if (!think.ok) {
        this.report([...path, 'think'], think.message, think.hint);
        return undefined;
      }
      const when = this.when(raw, path);
      return { kind: 'think', thinkTime: think.value, ...(when ? { when } : {}) };
    }
    if (isStreamItem(raw)) return this.streamStep(raw, path);
    if (typeof raw['path'] !== 'string' || raw['path'] === '') {
      if (!has(raw, 'path')) this.report(path, 'a step needs `path` (a request) or `think` (a pause)', 'e.g. `- { name: login, method: POST, path: /api/auth/login }` or `- think: 2s`');
      return undefined;
    }
    return this.requestStep(raw, path, raw['path']);
  }

  /** a WebSocket session or SSE stream in the journey; its templates resolve like a request's */
  private streamStep(raw: Record<string, unknown>, path: FieldPath): FlowStreamStep | undefined {
    const spec = readStream(raw, path, { report: this.report, resolve: (ref, at) => this.resolve(ref, at) });
    if (spec === undefined) return undefined;
    const source = typeof raw[spec.kind] === 'string' ? String(raw[spec.kind]) : '';
    const explicitName = typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : undefined;
    const when = this.when(raw, path);
    return { kind: 'stream', name: explicitName ?? `${this.flowName} ${spec.kind.toUpperCase()} ${source}`, spec, ...(when ? { when } : {}) };
  }

  private requestStep(raw: Record<string, unknown>, path: FieldPath, pathText: string): FlowRequestStep {
    const method = readMethod(raw['method'], [...path, 'method'], this.report);
    if (!pathText.startsWith('{{')) checkRequestPath(pathText, [...path, 'path'], this.report);
    const resolved = new Map<string, TemplatePart | null>();
    const pathTemplate = this.template(pathText, 'path', [...path, 'path'], resolved);

    const headers: Record<string, Template> = {};
    if (isRecord(raw['headers'])) {
      for (const [key, value] of Object.entries(raw['headers'])) {
        if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean') continue;
        const fieldPath = [...path, 'headers', key];
        const name = key.toLowerCase();
        const text = String(value);
        if (!headerName.test(key)) {
          this.report(fieldPath, `"${key}" is not a valid header name`);
          continue;
        }
        if (/[\r\n]/.test(text)) this.report(fieldPath, 'a header value must be on one line');
        if (headers[name] !== undefined) this.report(fieldPath, `header "${name}" is given twice`, 'header names are not case-sensitive');
        headers[name] = this.template(text, 'none', fieldPath, resolved);
        // an environment value is known now: one with a line break would end its header line
        if (headers[name].parts.some((part) => part.kind === 'text' && /[\r\n]/.test(part.text)) && !/[\r\n]/.test(text)) {
          this.report(fieldPath, 'a header value must be on one line', 'the environment value it uses has a line break (CR/LF)');
        }
        if (secretHeaders.has(name)) this.collectHeaderSecret(name, headers[name]);
      }
    }

    let body: Template | undefined;
    if (has(raw, 'json') && has(raw, 'body')) {
      this.report([...path, 'body'], 'has both `json` and `body`', 'use `json` for a body sent as JSON, or `body` for one sent as written');
    } else if (raw['json'] !== undefined) {
      // each string is checked where it is written; the serialised body is compiled once
      this.checkJsonStrings(raw['json'], [...path, 'json'], resolved);
      body = compileTemplate(JSON.stringify(raw['json']), 'json', (ref) => resolved.get(ref.text) ?? null);
      headers['content-type'] ??= literalTemplate('application/json');
    } else if (typeof raw['body'] === 'string') {
      body = this.template(raw['body'], 'none', [...path, 'body'], resolved);
    }

    // `when` reads what earlier steps captured, not this step's own captures
    const when = this.when(raw, path);
    const captures = this.captures(raw['capture'], [...path, 'capture']);
    const expect = readExpect(raw['expect'], [...path, 'expect'], this.report);
    const http = readRequestHttpField(raw['http']);
    const explicitName = typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : undefined;
    return {
      kind: 'request',
      name: explicitName ?? `${this.flowName} ${method} ${pathText}`,
      method,
      path: pathTemplate,
      headers,
      ...(body !== undefined ? { body } : {}),
      ...(expect !== undefined ? { expect } : {}),
      ...(http !== undefined ? { http } : {}),
      expectStatus: readExpectStatus(raw['expect']),
      captures,
      ...(when ? { when } : {}),
    };
  }

  /** `when:` compiled like any template (true/false/numbers as text) */
  private when(raw: Record<string, unknown>, path: FieldPath): Template | undefined {
    const value = raw['when'];
    if (value === undefined || (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number')) return undefined;
    return this.template(String(value), 'none', [...path, 'when'], new Map());
  }

  /** a literal secret header value is a secret; one with references is shown as its template */
  private collectHeaderSecret(name: string, template: Template): void {
    if (template.parts.some((part) => part.kind !== 'text')) return;
    const text = template.parts.map((part) => (part.kind === 'text' ? part.text : '')).join('');
    if (text === '') return;
    this.secrets.push(text);
    const credentials = name.endsWith('authorization') ? /^\S+\s+(\S.*)$/.exec(text)?.[1] : undefined;
    if (credentials) this.secrets.push(credentials);
  }

  private checkJsonStrings(value: unknown, path: FieldPath, resolved: Map<string, TemplatePart | null>): void {
    if (typeof value === 'string') this.template(value, 'json', path, resolved);
    else if (Array.isArray(value)) value.forEach((item, index) => this.checkJsonStrings(item, [...path, index], resolved));
    else if (isRecord(value)) {
      for (const [key, item] of Object.entries(value)) {
        if (hasTemplate(key)) this.template(key, 'json', path, resolved);
        this.checkJsonStrings(item, [...path, key], resolved);
      }
    }
  }

  /** compiles one field, reporting each reference that cannot be resolved at `path` */
  private template(text: string, encoding: TemplateEncoding, path: FieldPath, resolved: Map<string, TemplatePart | null>): Template {
    if (!hasTemplate(text)) return { source: text, parts: text === '' ? [] : [{ kind: 'text', text }], encoding };
    for (const written of parseTemplate(text).malformed) {
      this.report(path, `"${written}" is not a template reference`, templateSyntaxHint);
    }
    return compileTemplate(text, encoding, (ref) => {
      if (!resolved.has(ref.text)) resolved.set(ref.text, this.resolve(ref, path));
      return resolved.get(ref.text) ?? null;
    });
  }

  /** what a reference stands for, or null after reporting why it stands for nothing */
  private resolve(ref: TemplateRef, path: FieldPath): TemplatePart | null {
    const { env, dataSources, brokenSources } = this.context;
    if (ref.args !== undefined) {
      const call = checkCall(ref.name, ref.args);
      if (!call.ok) this.report(path, call.message, call.hint);
      return call.ok ? call.part : null;
    }
    if (ref.scope === 'env') return this.fromEnv(ref.name, path, `{{ ${ref.text} }}`);
    if (ref.scope === 'setup') return this.fromSetup(ref, path);
    if (ref.scope !== undefined) {
      const source = dataSources.find((candidate) => candidate.name === ref.scope);
      if (source === undefined) {
        if (brokenSources.includes(ref.scope)) return null; // its problem is reported at `data`
        const known = [...dataSources.map((candidate) => candidate.name), 'env'];
        this.report(path, `{{ ${ref.text} }}: there is no data source "${ref.scope}"`, didYouMeanHint(ref.scope, known, '"') ?? 'declare it under `data:`');
        return null;
      }
      if (!source.columns.includes(ref.name)) {
        this.report(path, `{{ ${ref.text} }}: data file ${source.file} has no column "${ref.name}"`, didYouMeanHint(ref.name, source.columns, '"'));
        return null;
      }
      return { kind: 'data', source: source.name, column: ref.name };
    }
    if (this.captured.has(ref.name)) return { kind: 'capture', name: ref.name };
    const withColumn = dataSources.filter((candidate) => candidate.columns.includes(ref.name));
    if (withColumn.length === 1) return { kind: 'data', source: withColumn[0]!.name, column: ref.name };
    if (withColumn.length > 1) {
      this.report(path, `{{ ${ref.text} }} is a column of several data files`, `write {{ ${withColumn[0]!.name}.${ref.name} }} to say which`);
      return null;
    }
    if (ref.name === 'iteration') return { kind: 'iteration' };
    if (ref.name === 'user') return { kind: 'user' };
    if (envValue(env, ref.name) !== undefined) return this.fromEnv(ref.name, path, `{{ ${ref.text} }}`);
    this.report(path, `{{ ${ref.text} }}: "${ref.name}" is not captured by an earlier step of flow "${this.flowName}", nor a data column, nor an environment variable`, this.unknownNameHint(ref.name));
    return null;
  }

  /** a name captured only by a later step, or a close one, or how to write a reference */
  private unknownNameHint(name: string): string {
    const laterStep = (captured: string): string | undefined => {
      const index = this.capturedLater.get(captured);
      return index !== undefined && !this.captured.has(captured) ? [...this.flowPath, 'steps', index].join('.') : undefined;
    };
    const later = laterStep(name);
    if (later !== undefined) return `it is captured by ${later}, which runs later: capture it in an earlier step`;
    const close = suggest(name, [...this.captured.keys(), ...this.capturedLater.keys(), ...this.context.dataSources.flatMap((source) => source.columns)]);
    if (close === undefined) return templateSyntaxHint;
    const closeLater = laterStep(close);
    return `did you mean "${close}"?${closeLater !== undefined ? ` It is captured by ${closeLater}, which runs later` : ''}`;
  }

  /** `{{ setup.NAME }}`: captured by a `setup:` step (not in the setup steps themselves) */
  private fromSetup(ref: TemplateRef, path: FieldPath): TemplatePart | null {
    const { setupCaptures } = this.context;
    if (setupCaptures === undefined) {
      this.report(path, `{{ ${ref.text} }}: the setup steps cannot read their own captures this way`, `write {{ ${ref.name} }} for a value an earlier setup step captured`);
      return null;
    }
    if (!setupCaptures.includes(ref.name)) {
      const hint = setupCaptures.length === 0 ? 'capture it in a `setup:` step, e.g. `capture: { token: $.token }`' : didYouMeanHint(ref.name, setupCaptures, '"') ?? `setup captures ${setupCaptures.join(', ')}`;
      this.report(path, `{{ ${ref.text} }}: no setup step captures "${ref.name}"`, hint);
      return null;
    }
    return { kind: 'setup', name: ref.name };
  }

  private fromEnv(name: string, path: FieldPath, written: string): TemplatePart | null {
    const value = envValue(this.context.env, name);
    if (value === undefined) {
      this.report(path, `${written}: environment variable ${name} is not set`, 'set it before running perfctl');
      return null;
    }
    if (isSecretName(name) && value !== '') this.secrets.push(value);
    return { kind: 'text', text: value };
  }

  private captures(raw: unknown, path: FieldPath): CaptureSpec[] {
    const captures: CaptureSpec[] = [];
    if (!isRecord(raw)) return captures;
    const stepIndex = Number(path[3]);
    for (const [name, value] of Object.entries(raw)) {
      const fieldPath = [...path, name];
      if (!captureName.test(name)) {
        this.report(fieldPath, `"${name}" cannot name a captured value`, 'use a word (letters, digits, _ and -), then write {{ name }}');
        continue;
      }
      const capture = this.capture(name, value, fieldPath);
      if (capture === undefined) continue;
      captures.push(capture);
      this.captured.set(name, stepIndex);
    }
    return captures;
  }

  private capture(name: string, value: unknown, path: FieldPath): CaptureSpec | undefined {
    const expression = typeof value === 'string' ? value : isRecord(value) && typeof value['json'] === 'string' ? value['json'] : undefined;
    if (expression !== undefined) {
      const parsed = parseJsonPath(expression);
      if (!parsed.ok) {
        this.report(typeof value === 'string' ? path : [...path, 'json'], parsed.message, parsed.hint);
        return undefined;
      }
      return { name, from: 'json', expression: expression.trim(), path: parsed.value };
    }
    if (!isRecord(value)) return undefined; // the schema reports the type
    if (typeof value['header'] === 'string') {
      const header = value['header'].toLowerCase();
      if (!headerName.test(header)) {
        this.report([...path, 'header'], `"${value['header']}" is not a valid header name`);
        return undefined;
      }
      return { name, from: 'header', header };
    }
    if (typeof value['regex'] === 'string') {
      const pattern = value['regex'];
      try {
        new RegExp(pattern);
      } catch (error) {
        this.report([...path, 'regex'], `not a valid regular expression: ${(error as Error).message}`);
        return undefined;
      }
      return { name, from: 'regex', pattern };
    }
    return undefined; // the schema names the unknown key, or says the map is empty
  }
}

/** Literal text and resolved references; a reference that resolves to nothing is left out. */
export function compileTemplate(text: string, encoding: TemplateEncoding, resolveRef: (ref: TemplateRef) => TemplatePart | null): Template {
  const parts: TemplatePart[] = [];
  const pushText = (value: string): void => {
    if (value === '') return;
    const last = parts[parts.length - 1];
    if (last?.kind === 'text') last.text += encodeTemplateValue(value, encoding);
    else parts.push({ kind: 'text', text: encodeTemplateValue(value, encoding) });
  };
  for (const part of parseTemplate(text).parts) {
    if (part.kind === 'text') {
      // literal text is already written as it must be sent
      const last = parts[parts.length - 1];
      if (last?.kind === 'text') last.text += part.text;
      else parts.push({ kind: 'text', text: part.text });
      continue;
    }
    const resolved = resolveRef(part.ref);
    if (resolved === null) continue;
    if (resolved.kind === 'text') pushText(resolved.text);
    else parts.push(resolved);
  }
  return { source: text, parts, encoding };
}

function literalTemplate(text: string): Template {
  return { source: text, parts: [{ kind: 'text', text }], encoding: 'none' };
}
