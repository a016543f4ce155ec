// One server-sent event stream: a GET with `accept: text/event-stream`, read to its end (or to the
// first event matching `until`). Records `NAME.first` (the due time to the first event) and `NAME`
// (the due time to the end), with the events counted as `sse.events`. A stream that breaks before
// its end (or before `until`) is an `sse-broken` error; a status that is not 2xx, `status`; a
// stream longer than the timeout, `timeout`. Uses node:http directly: a stream is one long
// response, which needs none of the pooling of the request clients.
import http from 'node:http';
import { nodeHttps } from './lazy-builtins.js';
import type { SseSpec } from '../config/types.js';
import type { ErrorKind } from '../metrics/outcome.js';
import { createMatcher, renderMessage } from './message-match.js';
import { stageIndexAt } from './plan.js';
import { SseParser } from './sse-parser.js';
import { streamUrl, tlsOptions, type LiveStream, type StreamRun } from './stream-runner.js';

export function runSseStream(spec: SseSpec, run: StreamRun): LiveStream {
  const { ctx, name } = run;
  const { recorder, clock, plan } = ctx;
  const phaseIndex = stageIndexAt(plan, run.startAtMs - ctx.startMs);
  const url = new URL(streamUrl(ctx.target, renderMessage(spec.url, 0, run.lookup), 'sse'));
  const headers: Record<string, string> = { accept: 'text/event-stream' };
  for (const [key, template] of Object.entries(spec.headers)) headers[key] = renderMessage(template, 0, run.lookup);
  const until = spec.until ? createMatcher(spec.until, run.lookup) : null;
  const untilText = until?.expected(0) ?? '';
  const sentAtMs = clock.nowMs();
  let over = false;
  let opened = false;
  let gotFirst = false;
  let status: number | null = null;

  const record = (group: string, errorKind: ErrorKind | null, answered: boolean, part = false): void => {
    const now = clock.nowMs();
    recorder.record({
      // NAME.first is a measurement inside the stream's one request: its own group, never a
      // request of the totals (the service saw one request, recorded as NAME)
      ...(part ? { flow: true } : {}),
      group,
      phaseIndex,
      latencyUs: answered ? (now - run.startAtMs) * 1000 : null,
      serviceUs: answered && ctx.measureServiceTime ? (now - sentAtMs) * 1000 : null,
      status,
      errorKind,
    });
  };
  const end = (errorKind: ErrorKind | null, answered: boolean): void => {
    if (over) return;
    over = true;
    clearTimeout(timer);
    if (opened) recorder.socketDelta(-1);
    record(name, errorKind, answered);
    request.destroy();
    run.done({ failed: errorKind !== null, unanswered: !answered });
  };

  const client = url.protocol === 'https:' ? nodeHttps() : http;
  const request = client.request(url, { method: 'GET', headers, agent: false, ...(url.protocol === 'https:' ? tlsOptions(ctx.tls) : {}) }, (response) => {
    status = response.statusCode ?? null;
    if (status === null || status < 200 || status > 299) {
      response.resume();
      return end('status', true);
    }
    opened = true;
    recorder.socketDelta(1);
    const parser = new SseParser();
    response.setEncoding('utf8');
    response.on('data', (chunk: string) => {
      if (over) return;
      for (const event of parser.push(chunk)) {
        recorder.count(name, stageIndexAt(plan, clock.nowMs() - ctx.startMs), 'sse.events');
        if (!gotFirst) {
          gotFirst = true;
          record(`${name}.first`, null, true, true);
        }
        if (until && (until.keyed ? until.keyOf(event.data, event.event) === untilText : until.answers(untilText, event.data, event.event))) return end(null, true);
      }
    });
    // a stream that ended without its `until` event missed an expectation
    response.on('end', () => end(until ? 'expect' : null, true));
    response.on('aborted', () => end('sse-broken', true));
    response.on('error', () => end('sse-broken', true));
  });
  request.on('error', (error: NodeJS.ErrnoException) => {
    if (over) return;
    if (opened) return end('sse-broken', true);
    end(error.code ?? 'socket', false);
  });
  request.end();
  // a stream due before the plan's end gets its whole timeout (as an HTTP request does)
  const timer = setTimeout(() => end('timeout', true), ctx.timeoutMs);

  return {
    // a stream has nothing to send: it ends when the server ends it (or at the timeout)
    finish: () => undefined,
    terminate: () => {
      if (over) return;
      over = true;
      clearTimeout(timer);
      if (opened) recorder.socketDelta(-1);
      request.destroy();
      run.done({ failed: true, unanswered: false });
    },
  };
}
