// What every live exporter is: told each closed second's snapshot (it must neither throw nor
// wait), and closed at the end. A failing destination is reported once through `Warn` and
// tried again next time: an export never stops or stalls the run.
import type { LiveSnapshot } from './live-view.js';

export interface Exporter {
  /** e.g. "prometheus http://127.0.0.1:9464/metrics", for messages */
  readonly name: string;
  /** before the load: bind, open, connect (a failure here is the user's option: exit 2) */
  start?(): Promise<void>;
  publish(snapshot: LiveSnapshot): void;
  /** after the reports: send what is left; `lingerMs` keeps a pull endpoint up (0 = close now) */
  close(lingerMs: number): Promise<void>;
}

export type Warn = (message: string) => void;

/** One warning per exporter, however often it fails (the run's log stays readable). */
export class OnceWarning {
  private warned = false;
  failures = 0;

  constructor(
    private readonly name: string,
    private readonly warn: Warn,
  ) {}

  fail(reason: string): void {
    this.failures++;
    if (this.warned) return;
    this.warned = true;
    this.warn(`perfctl: export ${this.name}: ${reason}; the run goes on and the export is retried (this warning is shown once)`);
  }
}

export function reasonOf(error: unknown): string {
  const e = error as NodeJS.ErrnoException & { cause?: { code?: string; message?: string } };
  return e.cause?.code ?? e.code ?? e.cause?.message ?? e.message ?? String(error);
}
