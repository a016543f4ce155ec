// A pure HTTP/1.1 response parser (RFC 9112), fed the bytes of one connection in any split.
// No socket, no timers: the connection (raw-http.ts) feeds it and acts on what it returns.
//
// It is built for the request loop: one parser per connection, reused for every response, and
// a response's head is read only as far as framing and the caller need: status, the framing
// headers, `connection`/`keep-alive`, and everything else only when asked (captures, expects,
// redirects, cookies). A head that arrives in one piece (the usual case) is parsed where it lies.
//
// Where the RFC leaves a choice, the parser takes the strict one, so a load test never counts a
// malformed answer as a success: both `content-length` and `transfer-encoding` → `framing` (as
// llhttp); obs-fold → `parse` (llhttp folds it); a transfer coding it cannot undo → `framing`.

/** what `feed` and `finish` say */
export const enum Parse {
  /** the response is not complete yet: feed more */
  More = 0,
  /** the response is complete; `consumed` bytes of the last chunk were part of it */
  Done = 1,
  /** the bytes are not a valid response; `errorKind` says why */
  Error = 2,
}

/** Error kinds of malformed responses, as counted in the results. */
export type ParseErrorKind =
  /** status line, header line or chunk syntax */
  | 'parse'
  /** the response's length cannot be known: conflicting or bad content-length, unknown transfer-encoding */
  | 'framing'
  /** the head (status line and headers) is larger than MAX_HEAD_BYTES */
  | 'header-size';

/** Node's (llhttp's) default limit for a head, status line included. */
export const MAX_HEAD_BYTES = 16 * 1024;

/** what the caller wants of the next response */
export interface ParseRequest {
  /** the request was HEAD: no body whatever the headers say */
  head: boolean;
  /** keep every header (lower-case names) */
  headers: boolean;
  /** keep up to this many body bytes (0: none) */
  bodyBytes: number;
}

const enum State {
  Head,
  Length,
  Chunked,
  UntilClose,
  Complete,
  Failed,
}

const enum Chunk {
  Size,
  /** `;extensions` up to CR */
  Extension,
  SizeLf,
  Data,
  DataCr,
  DataLf,
  /** at the start of a trailer line, or of the final empty line */
  TrailerStart,
  TrailerLine,
  TrailerLf,
  EndLf,
}

const CR = 13;
const LF = 10;
const SP = 32;
const HTAB = 9;
const COLON = 58;
const SEMI = 59;
/** at most this many hex digits in a chunk size (2^52 fits a double exactly) */
const MAX_CHUNK_SIZE_DIGITS = 13;
/** `token` characters of RFC 9110 (header names) */
const TOKEN = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~") TOKEN[c.charCodeAt(0)] = 1;
for (let c = 48; c <= 57; c++) TOKEN[c] = 1;
for (let c = 65; c <= 90; c++) TOKEN[c] = 1;
for (let c = 97; c <= 122; c++) TOKEN[c] = 1;
const HEX = new Int8Array(256).fill(-1);
for (let c = 0; c < 10; c++) HEX[48 + c] = c;
for (let c = 0; c < 6; c++) {
  HEX[65 + c] = 10 + c;
  HEX[97 + c] = 10 + c;
}

export class ResponseParser {
  /** status of the final response (interim 1xx answers are skipped); 0 before the status line */
  status = 0;
  /** the connection may carry another request after this response */
  keepAlive = true;
  /** the server's `keep-alive: timeout=` in ms, or -1 */
  keepAliveTimeoutMs = -1;
  errorKind: ParseErrorKind | null = null;
  /** of the last chunk fed when the response completed */
  consumed = 0;
  /** the bytes of this exchange received so far (heads of interim answers included) */
  wireBytes = 0;
  /** interim (1xx) answers skipped before the final one */
  interim = 0;
  /** with `headers`: every header, lower-case names, values as latin1 */
  headers: Record<string, string[]> | null = null;
  /** `content-encoding`, lower-case ('' when none) */
  contentEncoding = '';
  /** `location` ('' when none) */
  location = '';
  /** the `set-cookie` values, or null when none */
  setCookies: string[] | null = null;
  /** with `bodyBytes`: the body's pieces (copies: the chunks fed are not kept) */
  body: Buffer[] = [];
  bodyLength = 0;

  private state = State.Head;
  private request: ParseRequest = { head: false, headers: false, bodyBytes: 0 };
  /** a head that spans chunks is gathered here (grown on demand, kept for the next response) */
  private headBuffer: Buffer | null = null;
  private headLength = 0;
  private remaining = 0;
  private chunk = Chunk.Size;
  private chunkDigits = 0;
  private trailerBytes = 0;
  private http10 = false;

  /** Starts a new exchange on this connection. */
  start(request: ParseRequest): void {
    this.request = request;
    this.state = State.Head;
    this.status = 0;
    this.keepAlive = true;
    this.keepAliveTimeoutMs = -1;
    this.errorKind = null;
    this.consumed = 0;
    this.wireBytes = 0;
    this.interim = 0;
    this.headers = null;
    this.contentEncoding = '';
    this.location = '';
    this.setCookies = null;
    if (this.body.length > 0) this.body = [];
    this.bodyLength = 0;
    this.headLength = 0;
  }

  /**
   * Feeds the next bytes of the connection: `data[0, end)`. The parser keeps no view of `data`
   * (the caller may reuse it at once): what it keeps of a head or body, it copies.
   */
  feed(data: Buffer, end: number = data.length): Parse {
    let offset = 0;
    while (offset < end) {
      switch (this.state) {
        case State.Head:
          offset = this.feedHead(data, offset, end);
          break;
        case State.Length: {
          const take = Math.min(this.remaining, end - offset);
          this.keepBody(data, offset, offset + take);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) this.state = State.Complete;
          break;
        }
        case State.Chunked:
          offset = this.feedChunked(data, offset, end);
          break;
        case State.UntilClose:
          this.keepBody(data, offset, end);
          offset = end;
          break;
        case State.Complete:
        case State.Failed:
          return this.settle(data, offset);
      }
      // (read through a method: TypeScript cannot see that the calls above change the state)
      if (this.over()) return this.settle(data, offset);
    }
    this.wireBytes += end;
    return Parse.More;
  }

  /** The connection was closed by the server: a close-delimited body ends here, anything else was cut. */
  finish(): Parse {
    if (this.state === State.UntilClose) {
      this.state = State.Complete;
      return Parse.Done;
    }
    if (this.state === State.Complete) return Parse.Done;
    return Parse.Error;
  }

  /** true once the status line and headers of the final response have been read */
  get headComplete(): boolean {
    return this.state !== State.Head;
  }

  private over(): boolean {
    return this.state === State.Complete || this.state === State.Failed;
  }

  private settle(data: Buffer, offset: number): Parse {
    this.consumed = offset;
    this.wireBytes += offset;
    return this.state === State.Complete ? Parse.Done : Parse.Error;
  }

  private fail(kind: ParseErrorKind): void {
    this.errorKind = kind;
    this.state = State.Failed;
  }

  /** Returns the offset after what it used of `data`. */
  private feedHead(data: Buffer, offset: number, dataEnd: number): number {
    if (this.headLength === 0) {
      // the usual case: the whole head is in this chunk
      const end = findHeadEnd(data, offset, dataEnd);
      if (end >= 0) {
        if (end - offset > MAX_HEAD_BYTES) {
          this.fail('header-size');
          return end;
        }
        this.parseHead(data, offset, end);
        return end;
      }
      if (dataEnd - offset >= MAX_HEAD_BYTES + 4) {
        this.fail('header-size');
        return dataEnd;
      }
      this.gather(data, offset, dataEnd);
      return dataEnd;
    }
    // the head spans chunks: gather what may belong to it, then search from just before the new bytes
    const before = this.headLength;
    const taken = this.gather(data, offset, dataEnd);
    const end = findHeadEnd(this.headBuffer!, Math.max(0, before - 3), this.headLength);
    if (end < 0) {
      if (this.headLength >= MAX_HEAD_BYTES + 4) this.fail('header-size');
      return offset + taken;
    }
    this.headLength = 0;
    if (end > MAX_HEAD_BYTES) this.fail('header-size');
    else this.parseHead(this.headBuffer!, 0, end);
    return offset + (end - before);
  }

  /** Copies `data[from, to)` after the head gathered so far, at most up to the head limit; returns how many bytes it took. */
  private gather(data: Buffer, from: number, to: number): number {
    const limit = MAX_HEAD_BYTES + 4;
    const take = Math.min(to - from, limit - this.headLength);
    const needed = this.headLength + take;
    let buffer = this.headBuffer;
    if (buffer === null || buffer.length < needed) {
      const grown = Buffer.allocUnsafe(Math.min(limit, Math.max(1024, needed * 2)));
      if (buffer !== null) buffer.copy(grown, 0, 0, this.headLength);
      this.headBuffer = buffer = grown;
    }
    data.copy(buffer, this.headLength, from, from + take);
    this.headLength = needed;
    return take;
  }

  /** Parses one head from `start` to `end` (just after its blank line). */
  private parseHead(data: Buffer, start: number, end: number): void {
    const status = parseStatusLine(data, start);
    if (status < 0) return this.fail('parse');
    this.http10 = data[start + 7] === 48; // "HTTP/1.0"
    const interim = status >= 100 && status < 200 && status !== 101;
    let contentLength = -1;
    let chunked = false;
    let otherCoding = false;
    let transferEncoding = false;
    let connectionClose = false;
    let connectionKeepAlive = false;
    const keepHeaders = this.request.headers && !interim;
    const headers: Record<string, string[]> | null = keepHeaders ? {} : null;
    let line = data.indexOf(LF, start) + 1;
    // each header line: name ":" OWS value OWS CRLF; the head ends with an empty line
    while (line < end - 2) {
      const lineEnd = data.indexOf(LF, line);
      if (lineEnd < 0 || lineEnd >= end || data[lineEnd - 1] !== CR) return this.fail('parse');
      const first = data[line]!;
      if (first === SP || first === HTAB) return this.fail('parse'); // obs-fold
      let colon = line;
      while (colon < lineEnd && TOKEN[data[colon]!] === 1) colon++;
      if (colon === line || data[colon] !== COLON) return this.fail('parse');
      let valueStart = colon + 1;
      let valueEnd = lineEnd - 1;
      while (valueStart < valueEnd && (data[valueStart] === SP || data[valueStart] === HTAB)) valueStart++;
      while (valueEnd > valueStart && (data[valueEnd - 1] === SP || data[valueEnd - 1] === HTAB)) valueEnd--;
      for (let i = valueStart; i < valueEnd; i++) {
        const c = data[i]!;
        if ((c < SP && c !== HTAB) || c === 127) return this.fail('parse');
      }
      const nameLength = colon - line;
      if (nameLength === 14 && nameIs(data, line, 'content-length')) {
        const length = parseLength(data, valueStart, valueEnd);
        if (length < 0 || (contentLength >= 0 && length !== contentLength)) return this.fail('framing');
        if (contentLength >= 0) return this.fail('framing'); // llhttp rejects even a repeated equal one
        contentLength = length;
      } else if (nameLength === 17 && nameIs(data, line, 'transfer-encoding')) {
        transferEncoding = true;
        const last = lastCoding(data, valueStart, valueEnd);
        if (last === 'chunked') {
          if (chunked) otherCoding = true; // chunked twice
          chunked = true;
        } else {
          // a coding after chunked, or a last coding that is not chunked
          otherCoding = true;
          chunked = false;
        }
      } else if (nameLength === 10 && nameIs(data, line, 'connection')) {
        if (hasToken(data, valueStart, valueEnd, 'close')) connectionClose = true;
        if (hasToken(data, valueStart, valueEnd, 'keep-alive')) connectionKeepAlive = true;
      } else if (nameLength === 10 && nameIs(data, line, 'keep-alive')) {
        this.keepAliveTimeoutMs = keepAliveTimeout(data, valueStart, valueEnd);
      } else if (!interim) {
        if (nameLength === 16 && nameIs(data, line, 'content-encoding')) {
          this.contentEncoding = data.toString('latin1', valueStart, valueEnd).toLowerCase();
        } else if (nameLength === 8 && nameIs(data, line, 'location')) {
          this.location = data.toString('latin1', valueStart, valueEnd);
        } else if (nameLength === 10 && nameIs(data, line, 'set-cookie')) {
          (this.setCookies ??= []).push(data.toString('latin1', valueStart, valueEnd));
        }
      }
      if (headers !== null) (headers[data.toString('latin1', line, colon).toLowerCase()] ??= []).push(data.toString('latin1', valueStart, valueEnd));
      line = lineEnd + 1;
    }
    if (interim) {
      // 100 Continue, 103 Early Hints, ...: the final answer follows on the same connection
      this.interim++;
      this.keepAliveTimeoutMs = -1;
      return;
    }
    this.status = status;
    this.headers = headers;
    this.keepAlive = this.http10 ? connectionKeepAlive && !connectionClose : !connectionClose;
    if (transferEncoding && contentLength >= 0) return this.fail('framing');
    if (transferEncoding && otherCoding) return this.fail('framing');
    if (this.request.head || status === 204 || status === 304 || status === 101) {
      // 101 here is a protocol switch nobody asked for: no HTTP body follows, and the connection is not reusable
      if (status === 101) this.keepAlive = false;
      this.state = State.Complete;
    } else if (chunked) {
      this.state = State.Chunked;
      this.chunk = Chunk.Size;
      this.chunkDigits = 0;
      this.remaining = 0;
      this.trailerBytes = 0;
    } else if (contentLength >= 0) {
      this.remaining = contentLength;
      this.state = contentLength === 0 ? State.Complete : State.Length;
    } else {
      this.state = State.UntilClose;
      this.keepAlive = false;
    }
  }

  private keepBody(data: Buffer, from: number, to: number): void {
    const room = this.request.bodyBytes - this.bodyLength;
    if (room <= 0 || to <= from) return;
    const take = Math.min(room, to - from);
    // a copy: the caller's buffer is reused for the next read
    const piece = Buffer.allocUnsafe(take);
    data.copy(piece, 0, from, from + take);
    this.body.push(piece);
    this.bodyLength += take;
  }

  /** The chunked body's state machine, a byte at a time except for chunk data. */
  private feedChunked(data: Buffer, start: number, end: number): number {
    let offset = start;
    while (offset < end) {
      const c = data[offset]!;
      switch (this.chunk) {
        case Chunk.Size: {
          const digit = HEX[c]!;
          if (digit >= 0) {
            if (++this.chunkDigits > MAX_CHUNK_SIZE_DIGITS) return this.failAt('framing', offset);
            this.remaining = this.remaining * 16 + digit;
          } else if (this.chunkDigits === 0) return this.failAt('framing', offset);
          else if (c === CR) this.chunk = Chunk.SizeLf;
          // no whitespace after the size, as llhttp (RFC 9112 allows it only before a `;`, and nobody sends it)
          else if (c === SEMI) this.chunk = Chunk.Extension;
          else return this.failAt('framing', offset);
          break;
        }
        case Chunk.Extension:
          if (c === CR) this.chunk = Chunk.SizeLf;
          else if ((c < SP && c !== HTAB) || c === 127) return this.failAt('framing', offset);
          break;
        case Chunk.SizeLf:
          if (c !== LF) return this.failAt('framing', offset);
          this.chunk = this.remaining === 0 ? Chunk.TrailerStart : Chunk.Data;
          break;
        case Chunk.Data: {
          const take = Math.min(this.remaining, end - offset);
          this.keepBody(data, offset, offset + take);
          this.remaining -= take;
          offset += take;
          if (this.remaining === 0) this.chunk = Chunk.DataCr;
          continue;
        }
        case Chunk.DataCr:
          if (c !== CR) return this.failAt('framing', offset);
          this.chunk = Chunk.DataLf;
          break;
        case Chunk.DataLf:
          if (c !== LF) return this.failAt('framing', offset);
          this.chunk = Chunk.Size;
          this.chunkDigits = 0;
          break;
        case Chunk.TrailerStart:
          if (c === CR) this.chunk = Chunk.EndLf;
          else if (c === SP || c === HTAB || c === LF) return this.failAt('parse', offset);
          else this.chunk = Chunk.TrailerLine;
          break;
        case Chunk.TrailerLine:
          if (++this.trailerBytes > MAX_HEAD_BYTES) return this.failAt('header-size', offset);
          if (c === CR) this.chunk = Chunk.TrailerLf;
          else if (c === LF) return this.failAt('parse', offset);
          break;
        case Chunk.TrailerLf:
          if (c !== LF) return this.failAt('parse', offset);
          this.chunk = Chunk.TrailerStart;
          break;
        case Chunk.EndLf:
          if (c !== LF) return this.failAt('parse', offset);
          this.state = State.Complete;
          return offset + 1;
      }
      offset++;
    }
    return offset;
  }

  private failAt(kind: ParseErrorKind, offset: number): number {
    this.fail(kind);
    return offset;
  }
}

/** The offset just after the first CRLFCRLF in `data[from, to)`, or -1. */
function findHeadEnd(data: Buffer, from: number, to: number): number {
  let at = from;
  for (;;) {
    const lf = data.indexOf(LF, at);
    if (lf < 0 || lf >= to) return -1;
    // "\r\n\r\n": this LF ends an empty line when the three bytes before it are "\r\n\r"
    if (lf >= from + 3 && data[lf - 1] === CR && data[lf - 2] === LF && data[lf - 3] === CR) return lf + 1;
    at = lf + 1;
  }
}

/** "HTTP/1.x NNN[ reason]\r\n" → NNN, or -1 when the line is not a status line. */
function parseStatusLine(data: Buffer, start: number): number {
  // H T T P / 1 . x SP d d d
  if (
    data[start] !== 72 || data[start + 1] !== 84 || data[start + 2] !== 84 || data[start + 3] !== 80 ||
    data[start + 4] !== 47 || data[start + 5] !== 49 || data[start + 6] !== 46 ||
    (data[start + 7] !== 48 && data[start + 7] !== 49) || data[start + 8] !== SP
  ) return -1;
  let status = 0;
  for (let i = start + 9; i < start + 12; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) return -1;
    status = status * 10 + (c - 48);
  }
  if (status < 100) return -1;
  const after = data[start + 12];
  // a fourth digit (status 1000) or anything but a space before the reason is not a status line
  if (after === SP) {
    // the reason phrase: text, no control bytes (a bare CR would hide a header in it)
    let at = start + 13;
    for (let c = data[at]; c !== CR; c = data[++at]) {
      if (c === undefined || (c < SP && c !== HTAB) || c === 127) return -1;
    }
    return data[at + 1] === LF ? status : -1;
  }
  return after === CR && data[start + 13] === LF ? status : -1;
}

/** case-insensitive match of a header name against a lower-case ASCII name of the same length */
function nameIs(data: Buffer, at: number, name: string): boolean {
  for (let i = 0; i < name.length; i++) if ((data[at + i]! | 0x20) !== name.charCodeAt(i)) return false;
  return true;
}

/** digits only (no sign, no list), or -1 */
function parseLength(data: Buffer, from: number, to: number): number {
  if (from === to || to - from > 15) return -1;
  let value = 0;
  for (let i = from; i < to; i++) {
    const c = data[i]!;
    if (c < 48 || c > 57) return -1;
    value = value * 10 + (c - 48);
  }
  return value;
}

/** the last coding of a transfer-encoding list, lower-case */
function lastCoding(data: Buffer, from: number, to: number): string {
  let start = from;
  for (let i = to - 1; i >= from; i--) {
    if (data[i] === 44) {
      start = i + 1;
      break;
    }
  }
  while (start < to && (data[start] === SP || data[start] === HTAB)) start++;
  return data.toString('latin1', start, to).toLowerCase();
}

/** whether a comma-separated list holds `token` (case-insensitive) */
function hasToken(data: Buffer, from: number, to: number, token: string): boolean {
  let at = from;
  while (at < to) {
    while (at < to && (data[at] === SP || data[at] === HTAB || data[at] === 44)) at++;
    let stop = at;
    while (stop < to && data[stop] !== 44) stop++;
    let last = stop;
    while (last > at && (data[last - 1] === SP || data[last - 1] === HTAB)) last--;
    if (last - at === token.length && nameIs(data, at, token)) return true;
    at = stop + 1;
  }
  return false;
}

/** `timeout=5, max=100` → 5000 ms, or -1 (read from the bytes: Node's servers send it on every response) */
function keepAliveTimeout(data: Buffer, from: number, to: number): number {
  // each comma-separated parameter: OWS name OWS "=" OWS digits
  let at = from;
  while (at < to) {
    while (at < to && (data[at] === SP || data[at] === HTAB || data[at] === 44)) at++;
    if (to - at >= 7 && nameIs(data, at, 'timeout')) {
      let i = at + 7;
      while (i < to && (data[i] === SP || data[i] === HTAB)) i++;
      if (data[i] === 61) {
        i++;
        while (i < to && (data[i] === SP || data[i] === HTAB)) i++;
        let value = 0;
        let digits = 0;
        for (; i < to && data[i]! >= 48 && data[i]! <= 57 && digits < 15; i++, digits++) value = value * 10 + (data[i]! - 48);
        if (digits > 0) return value * 1000;
      }
    }
    while (at < to && data[at] !== 44) at++;
  }
  return -1;
}
