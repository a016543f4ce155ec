// What an executor reports for each request that was due. Times are in microseconds
// from the start of the run (performance clock), so no wall-clock jump can distort them.

export type ErrorKind =
  | 'status'
  | 'timeout'
  | 'dropped'
  | 'ECONNREFUSED'
  | 'ECONNRESET'
  | 'EPIPE'
  | 'ENOTFOUND'
  | 'socket'
  | 'capture'
  /** a header value (or path) with CR or LF, filled in at run time: never sent */
  | 'header'
  /** a malformed response: status line, header line or chunk syntax */
  | 'parse'
  /** a response whose length cannot be known (conflicting content-length, unknown transfer-encoding) */
  | 'framing'
  /** a response head over 16 KiB */
  | 'header-size'
  /** in flight when the run stopped and cut after the drain time */
  | 'interrupted'
  /** a certificate or handshake failure */
  | 'tls'
  | 'other'
  | (string & {});

export interface Outcome {
  /** request, step or flow name */
  group: string;
  /** index of the stage in which the request was due */
  phaseIndex: number;
  /** latency from the due time (open) or send (closed) to the last byte, µs; null when no answer came */
  latencyUs: number | null;
  /** from the actual send to the last byte, µs (open model); null when not measured */
  serviceUs: number | null;
  /** HTTP status, or null when no response was received */
  status: number | null;
  /** null for a success */
  errorKind: ErrorKind | null;
  /** bytes received, as on the wire (where the transport counts them) */
  wireBytes?: number;
  /** redirects followed to the answer */
  redirects?: number;
  /**
   * a whole flow iteration (think time included), not a request: kept in its own group only,
   * never in the totals, phases or timeline (its steps are recorded there). Also a measurement
   * inside another request (an SSE stream's `NAME.first`), which is no request of its own either.
   */
  flow?: boolean;
  /** stopped before it went on the wire: not a request (the service never saw it), counted as interrupted.unsent */
  unsent?: boolean;
}
