// The resolved, validated profile: what the engine runs. Produced by config/load-profile.ts
// from YAML; every duration is in ms, every level is per second (open) or users (closed).

export type LoadModel = 'open' | 'closed';

export interface StageSpec {
  name: string;
  durationMs: number;
  /** level at the start of the stage (requests/s or users) */
  fromLevel: number;
  /** level at the end of the stage */
  toLevel: number;
}

/**
 * A stage with its window in the run (after -d and --scale): the one type for "a stage and
 * when it runs", from the plan to the judge. ms since the start of the run.
 */
export interface StageWindow extends StageSpec {
  index: number;
  startMs: number;
  endMs: number;
}

/** What the views and checks read of a stage: its name and window. */
export type PhaseWindow = Pick<StageWindow, 'name' | 'startMs' | 'endMs'>;

export interface RequestSpec {
  name: string;
  method: string;
  /** path (joined to baseUrl) or absolute URL */
  path: string;
  headers: Record<string, string>;
  /** request body as sent; `json:` is serialised here once at load time */
  body?: string;
  /** expected status codes; null = any 2xx or 3xx */
  expectStatus: number[] | null;
  /** expectations on the body and headers */
  expect?: ExpectSpec;
  /** this request's own HTTP behaviour, over the profile's `http:` */
  http?: RequestHttpSpec;
  weight: number;
  /** a WebSocket session or an SSE stream instead of one HTTP request (`ws:` / `sse:`) */
  stream?: StreamSpec;
}

/** A message template: a flow template plus `{{ seq }}`, the message's number on its socket (1, 2, ...). */
export type MessagePart = TemplatePart | { kind: 'seq' };

export interface MessageTemplate {
  source: string;
  parts: MessagePart[];
  encoding: TemplateEncoding;
}

/** What answers a message (`reply:`), or ends an SSE stream (`until:`): exact text, or JSON fields. */
export type MessageMatch =
  | { kind: 'text'; text: MessageTemplate }
  /** every field's value, as text, equals its template */
  | { kind: 'json'; fields: Array<{ expression: string; path: Array<string | number>; value: MessageTemplate }> }
  /** the message contains this text */
  | { kind: 'contains'; text: MessageTemplate }
  /** SSE: an event of this `event:` name */
  | { kind: 'event'; name: string };

export interface WsMessagesSpec {
  /** messages per second on one socket, each due on a schedule from the socket's open */
  rate: number;
  send: MessageTemplate;
  /** null: fire-and-forget, each message counted as sent */
  reply: MessageMatch | null;
  /** a reply later than this after the message was due is a `timeout`; null = the profile's `timeout` */
  timeoutMs: number | null;
}

export interface WsSpec {
  kind: 'ws';
  /** a ws(s):// URL, or a path joined to baseUrl (http -> ws, https -> wss) */
  url: Template;
  headers: Record<string, Template>;
  /** how long the socket stays open after the handshake; null = to the end of the run */
  holdMs: number | null;
  messages: WsMessagesSpec | null;
}

export interface SseSpec {
  kind: 'sse';
  /** a path joined to baseUrl, or an http(s) URL */
  url: Template;
  headers: Record<string, Template>;
  /** the event that ends the measurement; null = the end of the stream */
  until: MessageMatch | null;
}

export type StreamSpec = WsSpec | SseSpec;

/** `expect:` beyond the status (SPEC §2) */
export interface ExpectSpec {
  body?: {
    contains?: string;
    matches?: string;
    /** JSON path → a value it must equal, or a pattern its value must match */
    json?: Array<{ expression: string; path: Array<string | number>; equals?: string | number | boolean | null; matches?: string }>;
  };
  /** lower-case header name → a pattern one of its values must match (case-insensitive) */
  headers?: Array<{ name: string; matches: string }>;
}

/** The keys of `http:` a request or step may set for itself. */
export interface RequestHttpSpec {
  /** this request's own `http.version`, over the profile's */
  version?: HttpVersion;
  /** hops followed at most; 0 = a 3xx is the answer */
  redirects?: number;
  /** send accept-encoding and decode bodies that are read */
  compression?: boolean;
  cookies?: boolean;
}

/** `http:` at the top of a profile, defaults filled in. */
export interface HttpSpec {
  redirects: number;
  compression: boolean;
  cookies: boolean;
  tls?: { insecure?: boolean; ca?: string; cert?: string; key?: string; servername?: string };
  /** a forward proxy URL; undefined = from HTTP_PROXY/HTTPS_PROXY/NO_PROXY */
  proxy?: string;
}

/** A uniform range; min === max for a fixed pause. */
export interface ThinkTime {
  minMs: number;
  maxMs: number;
}

/**
 * A step field with `{{ ... }}` references, compiled when the profile loads: literal text and
 * references, joined per request without parsing. `{{ env.NAME }}` is already text here.
 */
export type TemplatePart =
  | { kind: 'text'; text: string }
  /** a value captured by an earlier step of the same flow */
  | { kind: 'capture'; name: string }
  /** a column of the iteration's row of a data source */
  | { kind: 'data'; source: string; column: string }
  /** a value captured by the profile's `setup:` steps (`{{ setup.token }}`), known once setup ran */
  | { kind: 'setup'; name: string }
  /** a template function's fresh value each time it is written out, from the run's seeded random stream */
  | { kind: 'random'; fn: RandomFunction }
  /** `{{ timestamp() }}`: the clock, in ms since the epoch (not repeatable by a seed) */
  | { kind: 'timestamp' }
  /** `{{ iteration }}` (0-based) and `{{ user }}` (1-based, the closed model's user; an arrival in the open model) */
  | { kind: 'iteration' }
  | { kind: 'user' };

export type RandomFunction =
  | { name: 'uuid' }
  | { name: 'randomInt'; min: number; max: number }
  | { name: 'randomString'; length: number }
  | { name: 'randomItem'; items: string[] };

/** how a value is written into the text: as is, inside a JSON string, or into a URL path */
export type TemplateEncoding = 'none' | 'json' | 'path';

export interface Template {
  /** as written in the profile (shown in result.json instead of any value) */
  source: string;
  parts: TemplatePart[];
  encoding: TemplateEncoding;
}

/** Where a step's captured value comes from: the JSON body, a response header, or a regex. */
export type CaptureSpec =
  | { name: string; from: 'json'; expression: string; path: Array<string | number> }
  | { name: string; from: 'header'; header: string }
  | { name: string; from: 'regex'; pattern: string };

export interface FlowRequestStep {
  kind: 'request';
  /** unique among requests, steps and flows: the result group of the step */
  name: string;
  method: string;
  path: Template;
  /** lower-case names */
  headers: Record<string, Template>;
  body?: Template;
  expectStatus: number[] | null;
  expect?: ExpectSpec;
  http?: RequestHttpSpec;
  captures: CaptureSpec[];
  /** runs only when this renders to something other than '', 'false' or '0' */
  when?: Template;
}

export interface FlowThinkStep {
  kind: 'think';
  thinkTime: ThinkTime;
  when?: Template;
}

/** a `ws:` or `sse:` step: its templates may use the flow's captured values and data columns */
export interface FlowStreamStep {
  kind: 'stream';
  name: string;
  spec: StreamSpec;
  when?: Template;
}

export type FlowStep = FlowRequestStep | FlowThinkStep | FlowStreamStep;

/** A multi-step user journey, picked by weight together with the plain requests. */
export interface FlowSpec {
  name: string;
  weight: number;
  steps: FlowStep[];
  /** a plain request with templates, run as a one-step flow: only the step is a result group */
  single?: boolean;
}

/** A CSV file read at load: each flow iteration that uses it takes one row. */
export interface DataSourceSpec {
  /** the scope in templates: `row` in `{{ row.email }}` */
  name: string;
  /** the file as shown in messages (relative to cwd) */
  file: string;
  order: 'sequence' | 'random';
  columns: string[];
  rows: string[][];
}

export type LatencyMetric = `p${string}` | 'max' | 'mean';
/**
 * judged on the run's analysis (src/judge/analysis/) or the service monitor's samples, not on
 * the cells of the row's scope: recovery, drift, the service's resources (memoryGrowth, cpu,
 * memory: they need a `monitor`) and a staircase's breaking point
 */
export type AnalysisMetric = 'recovery' | 'drift' | 'memoryGrowth' | 'cpu' | 'memory' | 'breakingPoint';
export type TargetMetric = LatencyMetric | 'errorRate' | 'rps' | AnalysisMetric;

/** `fail`: missing the limit fails the run; `warn`: it only makes the verdict `warn` (exit 0). */
export type Severity = 'fail' | 'warn';

export interface TargetCheckSpec {
  metric: TargetMetric;
  /** default `fail`; a `{ warn: X, fail: Y }` limit gives one check of each */
  severity?: Severity;
  /** a time limit as written, when -d stretched the run (and the limit with it) */
  writtenLimit?: number;
  /**
   * ms for latency metrics and recovery, a ratio 0..1 for errorRate, requests/s for rps,
   * a ratio (0.02 = 2%) for drift and memoryGrowth, a share of one core for cpu (0.6 = 60%),
   * MB (MiB, as the monitor reads them) for memory, the staircase level for breakingPoint
   */
  limit: number;
}

export interface TargetRow {
  name: string;
  /** request/step/flow names or globs; null = all */
  requests: string[] | null;
  /** a stage name; null = the whole run */
  phase: string | null;
  /** a profile with `scenarios`: only that scenario's requests (and `phase` is one of its stages) */
  scenario?: string;
  checks: TargetCheckSpec[];
  abortOnFail: boolean;
  /** `confidence: off`: judged on the values alone, without the 95% bounds (as k6 does) */
  confidence?: false;
}

/** `http.version`: HTTP/1.1, HTTP/2 (h2 over TLS, h2c on http://), or h2 where TLS offers it by ALPN */
export type HttpVersion = '1.1' | '2' | 'auto';

/**
 * One load shape of a profile with `scenarios:`: its own stages (one model), mix, think time and
 * data, started `startAfterMs` after the run's start, all of them against the profile's service.
 */
export interface ScenarioSpec {
  name: string;
  description: string;
  model: LoadModel;
  stages: StageSpec[];
  startAfterMs: number;
  requests: RequestSpec[];
  flows: FlowSpec[];
  data: DataSourceSpec[];
  thinkTime: ThinkTime;
  timeoutMs: number;
  maxInFlight: number;
  /** --concurrent: each profile is a scenario against its own service */
  baseUrl?: string;
  /** --concurrent: each profile's own setup and teardown steps, the values its setup captured, and its HTTP behaviour */
  setup?: FlowSpec;
  teardown?: FlowSpec;
  setupValues?: Record<string, string>;
  http?: HttpSpec;
  httpVersion?: HttpVersion;
}

export interface Profile {
  name: string;
  description: string;
  /** 'builtin' or the path of the file it came from */
  source: string;
  baseUrl: string;
  model: LoadModel;
  stages: StageSpec[];
  requests: RequestSpec[];
  /** multi-step journeys, picked by weight together with `requests` */
  flows: FlowSpec[];
  /** steps run once before the load; their captures are {{ setup.NAME }} */
  setup?: FlowSpec;
  /** steps run once after the load */
  teardown?: FlowSpec;
  /** the CSV files the flows' templates read (`data:`) */
  data: DataSourceSpec[];
  timeoutMs: number;
  thinkTime: ThinkTime;
  /** open model: cap on requests (or flow iterations) in flight; arrivals beyond it are `dropped` (generator health) */
  maxInFlight: number;
  /** `http:` (redirects, compression, cookies, TLS, proxy); absent = the defaults */
  http?: HttpSpec;
  targets: TargetRow[];
  /** where the targets came from: 'inline', a file path, or null when there are none */
  targetsSource: string | null;
  /** values that must never reach a report (secret env values, secret header values) */
  secrets: string[];
  /** the service's CPU and memory, sampled during the run (`monitor:`) */
  monitor?: MonitorSpec;
  /** stress staircase: end the run once a step has clearly broken a target */
  stopOnBreak?: boolean;
  /** `http.version` when given (the protocol is then recorded per group); unset = HTTP/1.1 */
  httpVersion?: HttpVersion;
  /**
   * `scenarios:` (or --concurrent): several load shapes at once. The top-level `stages`,
   * `requests`, `flows` and `data` are then empty and `model` is the scenarios' common model
   * (`closed` when they mix).
   */
  scenarios?: ScenarioSpec[];
}

/** Where the service's CPU and memory are read: a local process, or a Prometheus-format metrics URL. */
export type MonitorSpec = ({ kind: 'pid'; pid: number } | { kind: 'url'; url: string }) & {
  /** time between samples */
  intervalMs: number;
};
