// `--export ndjson=FILE`: one JSON line a second (the timeline point, the totals so far and each
// group's second), written as soon as the second closes, so `tail -f FILE | jq` follows the run.
import { mkdir, open, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { OnceWarning, reasonOf, type Exporter, type Warn } from './exporter.js';
import type { LiveSnapshot } from './live-view.js';

/** Lines kept while the disk is slower than one a second; beyond that the oldest are dropped. */
const MAX_PENDING_LINES = 600;

/**
 * A second's line; the end of the run is one last line `{"final": true, ...totals}` without a
 * point (its last second was already written), so summing `requests` over lines stays exact.
 */
export function ndjsonLine(snapshot: LiveSnapshot, startedAt: string): string {
  if (snapshot.final) {
    return `${JSON.stringify({ final: true, startedAt, elapsedMs: snapshot.elapsedMs, totalRequests: snapshot.requests, totalErrors: snapshot.errors })}\n`;
  }
  const groups: Record<string, LiveSnapshot['groups'][number]['second'] & { totalRequests: number; totalErrors: number }> = {};
  for (const g of snapshot.groups) groups[g.name] = { ...g.second, totalRequests: g.requests, totalErrors: g.errors };
  return `${JSON.stringify({
    ...snapshot.point,
    elapsedMs: snapshot.elapsedMs,
    startedAt,
    inFlight: snapshot.inFlight,
    totalRequests: snapshot.requests,
    totalErrors: snapshot.errors,
    groups,
    ...(snapshot.service ? { service: snapshot.service } : {}),
  })}\n`;
}

export class NdjsonExporter implements Exporter {
  readonly name: string;
  private handle: FileHandle | undefined;
  private pending: string[] = [];
  private writing: Promise<void> = Promise.resolve();
  private startedAt: string | undefined;
  private readonly warning: OnceWarning;

  constructor(
    private readonly path: string,
    warn: Warn,
  ) {
    this.name = `ndjson ${path}`;
    this.warning = new OnceWarning(this.name, warn);
  }

  async start(): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true });
    // appended: several runs into one file are told apart by startedAt
    this.handle = await open(this.path, 'a');
  }

  publish(snapshot: LiveSnapshot): void {
    this.startedAt ??= new Date(Date.now() - snapshot.elapsedMs).toISOString();
    this.pending.push(ndjsonLine(snapshot, this.startedAt));
    if (this.pending.length > MAX_PENDING_LINES) this.pending.splice(0, this.pending.length - MAX_PENDING_LINES);
    this.writing = this.writing.then(() => this.flush());
  }

  private async flush(): Promise<void> {
    if (!this.handle || this.pending.length === 0) return;
    const text = this.pending.join('');
    this.pending = [];
    try {
      await this.handle.write(text);
    } catch (error) {
      this.warning.fail(reasonOf(error));
    }
  }

  async close(): Promise<void> {
    await this.writing;
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
  }
}
