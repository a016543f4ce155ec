// One rule, for plain requests and flow steps alike, for what a sent request measured.
import type { ErrorKind, Outcome } from '../metrics/outcome.js';
import type { SendResult } from './transport.js';

/**
 * Latency runs from `fromMs` (the due time in the open model, the send in the closed one) to
 * the last byte; a timeout is recorded at the time it took, a connection error has no latency.
 * The service time runs from the moment the request went on the wire (open model only).
 */
export function outcomeOfSend(
  group: string,
  phaseIndex: number,
  sent: SendResult,
  fromMs: number,
  withServiceTime: boolean,
  errorKind: ErrorKind | null = sent.errorKind,
): Outcome {
  const answered = sent.status !== null || sent.errorKind === 'timeout';
  const outcome: Outcome = {
    group,
    phaseIndex,
    latencyUs: answered ? (sent.endedAtMs - fromMs) * 1000 : null,
    serviceUs: withServiceTime && sent.status !== null && !Number.isNaN(sent.sentAtMs) ? (sent.endedAtMs - sent.sentAtMs) * 1000 : null,
    status: sent.status,
    errorKind,
  };
  // stopped before it was written (waiting for a connection, or its connect pending): the
  // service never saw it, so it is no request of the run's (counted apart, interrupted.unsent)
  if (sent.errorKind === 'interrupted' && Number.isNaN(sent.sentAtMs)) outcome.unsent = true;
  if (sent.wireBytes !== undefined) outcome.wireBytes = sent.wireBytes;
  if (sent.redirects !== undefined) outcome.redirects = sent.redirects;
  return outcome;
}
