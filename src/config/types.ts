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
  weight: number;
}

/** A uniform range; min === max for a fixed pause. */
export interface ThinkTime {
  minMs: number;
  maxMs: number;
}

export type LatencyMetric = `p${string}` | 'max' | 'mean';
export type TargetMetric = LatencyMetric | 'errorRate' | 'rps';

export interface TargetCheckSpec {
  metric: TargetMetric;
  /** ms for latency metrics, a ratio 0..1 for errorRate, requests/s for rps */
  limit: number;
}

export interface TargetRow {
  name: string;
  /** request/step/flow names or globs; null = all */
  requests: string[] | null;
  /** a stage name; null = the whole run */
  phase: string | null;
  checks: TargetCheckSpec[];
  abortOnFail: boolean;
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
  timeoutMs: number;
  thinkTime: ThinkTime;
  /** open model: cap on requests in flight; arrivals beyond it are counted as `dropped` */
  maxInFlight: number;
  targets: TargetRow[];
  /** where the targets came from: 'inline', a file path, or null when there are none */
  targetsSource: string | null;
  /** values that must never reach a report (secret env values, secret header values) */
  secrets: string[];
}
