// One WebSocket session (the only module that uses the `ws` client): the handshake, measured from
// the session's due time as `NAME.connect`; then `messages.rate` messages a second, each due on a
// schedule from the open and measured to its reply from that *scheduled* time (`NAME`), so a
// server that stalls shows its whole queue; then a normal close after `hold`.
//
// Errors: a refused or failed upgrade is `ws-handshake` (with the status when there was one), a
// connect error its code, a handshake or reply past its timeout `timeout`, and a close the client
// did not ask for `ws-closed` for each message still waiting (or once, when none was), with the
// close code counted as `ws.close.CODE`.
import { createRequire } from 'node:module';
import type WebSocket from 'ws';
import type { WsSpec } from '../config/types.js';
import type { ErrorKind } from '../metrics/outcome.js';
import { createMatcher, PendingReplies, renderMessage } from './message-match.js';
import { stageIndexAt } from './plan.js';
import { streamUrl, tlsOptions, type LiveStream, type StreamRun } from './stream-runner.js';

/** ws loaded at the first WebSocket session: an HTTP-only run need not pay its ~40 ms import */
let wsClass: typeof WebSocket | undefined;
const loadWs = (): typeof WebSocket => (wsClass ??= createRequire(import.meta.url)('ws') as typeof WebSocket);

interface Pending {
  seq: number;
  /** clock ms the message was due */
  dueMs: number;
  sentMs: number;
  phaseIndex: number;
  expected: string;
  answered: boolean;
}

/** connect errors worth their own kind; anything else in the upgrade is `ws-handshake` */
const connectCodes = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ENOTFOUND', 'ETIMEDOUT', 'EHOSTUNREACH']);

export function runWsSession(spec: WsSpec, run: StreamRun): LiveStream {
  const { ctx, name } = run;
  const { recorder, clock, plan } = ctx;
  const phaseAt = (clockMs: number): number => stageIndexAt(plan, clockMs - ctx.startMs);
  const connectGroup = `${name}.connect`;
  const connectPhase = phaseAt(run.startAtMs);
  const lookup = run.lookup;
  const url = streamUrl(ctx.target, renderMessage({ ...spec.url, parts: spec.url.parts }, 0, lookup), 'ws');
  const headers: Record<string, string> = {};
  for (const [key, template] of Object.entries(spec.headers)) headers[key] = renderMessage(template, 0, lookup);

  const messages = spec.messages;
  const replyTimeoutMs = messages?.timeoutMs ?? ctx.timeoutMs;
  const matcher = messages?.reply ? createMatcher(messages.reply, lookup) : null;
  const pending = matcher ? new PendingReplies<Pending>(matcher) : null;
  const intervalMs = messages ? 1000 / messages.rate : 0;

  let opened = false;
  let openedAtMs = 0;
  let closing = false;
  let over = false;
  let seq = 0;
  let sendTimer: NodeJS.Timeout | undefined;
  let holdTimer: NodeJS.Timeout | undefined;
  let drainTimer: NodeJS.Timeout | undefined;
  const connectStartMs = clock.nowMs();

  const socket = new (loadWs())(url, { headers, handshakeTimeout: ctx.timeoutMs, perMessageDeflate: false, followRedirects: false, ...tlsOptions(ctx.tls) });

  const end = (failed: boolean, unanswered: boolean): void => {
    if (over) return;
    over = true;
    clearTimeout(sendTimer);
    clearTimeout(holdTimer);
    clearTimeout(drainTimer);
    if (opened) recorder.socketDelta(-1);
    run.done({ failed, unanswered });
  };

  const recordConnectError = (errorKind: ErrorKind, status: number | null, answered: boolean): void => {
    const now = clock.nowMs();
    recorder.record({ group: connectGroup, phaseIndex: connectPhase, latencyUs: answered ? (now - run.startAtMs) * 1000 : null, serviceUs: null, status, errorKind });
  };

  const recordMessage = (message: Pending, errorKind: ErrorKind | null, atMs: number): void => {
    if (Number.isNaN(atMs)) {
      recorder.record({ group: name, phaseIndex: message.phaseIndex, latencyUs: null, serviceUs: null, status: null, errorKind });
      return;
    }
    recorder.record({
      group: name,
      phaseIndex: message.phaseIndex,
      latencyUs: errorKind === null || errorKind === 'timeout' ? (atMs - message.dueMs) * 1000 : null,
      serviceUs: ctx.measureServiceTime && (errorKind === null || errorKind === 'timeout') ? (atMs - message.sentMs) * 1000 : null,
      status: null,
      errorKind,
    });
  };

  /** replies past their deadline count as timeouts, at the time they took: the timeout */
  const expireLate = (): void => {
    if (!pending) return;
    const now = clock.nowMs();
    for (const late of pending.expire((entry) => now >= entry.dueMs + replyTimeoutMs)) recordMessage(late, 'timeout', late.dueMs + replyTimeoutMs);
  };

  const sendDue = (): void => {
    sendTimer = undefined;
    if (closing || over || !messages) return;
    const now = clock.nowMs();
    expireLate();
    // everything due by now goes out (a late timer sends its backlog at once, each measured from its own due time)
    while (openedAtMs + seq * intervalMs <= now) {
      const dueMs = openedAtMs + seq * intervalMs;
      if (dueMs >= holdEndMs) return beginClose();
      seq++;
      const phaseIndex = phaseAt(dueMs);
      const message: Pending = { seq, dueMs, sentMs: now, phaseIndex, expected: matcher ? matcher.expected(seq) : '', answered: false };
      socket.send(renderMessage(messages.send, seq, lookup));
      recorder.count(name, phaseIndex, 'ws.sent');
      if (pending) pending.add(message);
      else recordMessage(message, null, Number.NaN); // fire-and-forget: counted, no round trip
    }
    const nextDue = openedAtMs + seq * intervalMs;
    if (nextDue >= holdEndMs) {
      holdTimer ??= setTimeout(beginClose, Math.max(0, holdEndMs - now));
      return;
    }
    sendTimer = setTimeout(sendDue, Math.max(0, nextDue - now));
  };

  let holdEndMs = Number.POSITIVE_INFINITY;

  /** stop sending; close once every message outstanding is answered or late */
  const beginClose = (): void => {
    if (closing || over) return;
    closing = true;
    clearTimeout(sendTimer);
    clearTimeout(holdTimer);
    if (!opened) {
      socket.terminate();
      return;
    }
    const waitForReplies = (): void => {
      expireLate();
      const oldest = pending?.oldest();
      if (!oldest) {
        socket.close(1000);
        return;
      }
      drainTimer = setTimeout(waitForReplies, Math.max(1, oldest.dueMs + replyTimeoutMs - clock.nowMs()));
    };
    waitForReplies();
  };

  socket.on('open', () => {
    const now = clock.nowMs();
    opened = true;
    openedAtMs = now;
    recorder.socketDelta(1);
    recorder.record({
      group: connectGroup,
      phaseIndex: connectPhase,
      latencyUs: (now - run.startAtMs) * 1000,
      serviceUs: ctx.measureServiceTime ? (now - connectStartMs) * 1000 : null,
      status: 101,
      errorKind: null,
    });
    holdEndMs = Math.min(spec.holdMs === null ? Number.POSITIVE_INFINITY : now + spec.holdMs, run.endByMs);
    if (closing) return beginClose();
    if (messages) sendDue();
    else holdTimer = setTimeout(beginClose, Math.max(0, holdEndMs - now));
  });

  socket.on('message', (data: WebSocket.RawData) => {
    const now = clock.nowMs();
    recorder.count(name, phaseAt(now), 'ws.received');
    if (!pending) return;
    // a binary frame is matched as UTF-8 too (many echo servers answer text with binary)
    const text = data.toString();
    const answered = pending.take(text);
    if (answered) {
      // a reply after its deadline was already counted as a timeout when it expired
      if (now >= answered.dueMs + replyTimeoutMs) recordMessage(answered, 'timeout', answered.dueMs + replyTimeoutMs);
      else recordMessage(answered, null, now);
    }
  });

  socket.on('unexpected-response', (request, response) => {
    recordConnectError('ws-handshake', response.statusCode ?? null, true);
    response.resume();
    request.destroy();
    end(true, false);
  });

  socket.on('error', (error: NodeJS.ErrnoException) => {
    if (opened || over) return; // after the open, the close that follows says what happened
    const code = error.code ?? '';
    if (/handshake has timed out/i.test(error.message)) recordConnectError('timeout', null, true);
    else if (connectCodes.has(code)) recordConnectError(code, null, false);
    else recordConnectError('ws-handshake', null, false);
    end(true, code === 'ECONNREFUSED');
  });

  socket.on('close', (code: number) => {
    if (over) return;
    if (!opened) return end(true, true);
    const now = clock.nowMs();
    if (closing) {
      // our own close: anything still waiting was already counted or is cut by a stop
      return end(false, false);
    }
    recorder.count(name, phaseAt(now), `ws.close.${code}`);
    const cut = pending ? pending.drain() : [];
    for (const message of cut) recordMessage(message, 'ws-closed', now);
    if (cut.length === 0) recorder.record({ group: name, phaseIndex: phaseAt(now), latencyUs: null, serviceUs: null, status: null, errorKind: 'ws-closed' });
    end(true, false);
  });

  return {
    finish: beginClose,
    terminate: () => {
      closing = true;
      socket.terminate();
      end(true, false);
    },
  };
}
