// Raw HTTP/1.1 responses for the conformance test: each is what a server writes for the first
// request of a connection (then it answers "200, empty" to any later request on it).

export interface Outcome {
  /** the final status, or null when no valid response came */
  status: number | null;
  /** body bytes the client delivered */
  bodyLength: number;
  /** a complete, valid response */
  success: boolean;
  /** the second request went out on the same connection */
  survives: boolean;
}

export interface CorpusCase {
  name: string;
  /** the bytes, or pieces written 5 ms apart */
  response: string | string[];
  /** the server closes the connection once written */
  close?: boolean;
  method?: 'GET' | 'HEAD';
  /** where perfctl deliberately differs from llhttp (Node's http client): its outcome and why */
  perfctl?: { outcome: Partial<Outcome>; why: string };
}

const ok = (body: string, extra = ''): string => `HTTP/1.1 200 OK\r\ncontent-length: ${body.length}\r\n${extra}\r\n${body}`;
const chunked = (chunks: string, extra = ''): string => `HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n${extra}\r\n${chunks}`;

export const corpus: CorpusCase[] = [
  // framing by content-length
  { name: 'content-length', response: ok('hello') },
  { name: 'content-length 0', response: ok('') },
  { name: 'no reason phrase', response: 'HTTP/1.1 200\r\ncontent-length: 2\r\n\r\nok' },
  { name: 'upper-case header names', response: 'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 3\r\n\r\nabc' },
  { name: 'value with spaces around it', response: 'HTTP/1.1 200 OK\r\ncontent-length:   3  \r\n\r\nabc' },
  { name: 'body in pieces', response: ['HTTP/1.1 200 OK\r\ncontent-', 'length: 6\r\n\r\nab', 'cd', 'ef'] },
  { name: 'large body', response: ok('x'.repeat(200_000)) },
  { name: 'connection: close', response: ok('bye', 'connection: close\r\n'), close: true },
  { name: 'connection: close, server keeps it open', response: ok('bye', 'connection: close\r\n') },
  { name: 'a 404 with a body', response: 'HTTP/1.1 404 Not Found\r\ncontent-length: 4\r\n\r\nnope' },
  { name: 'a 500', response: 'HTTP/1.1 500 Internal Server Error\r\ncontent-length: 0\r\n\r\n' },
  // content-length errors
  { name: 'two different content-lengths', response: 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nabc', close: true },
  { name: 'two equal content-lengths', response: 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ncontent-length: 3\r\n\r\nabc', close: true },
  { name: 'negative content-length', response: 'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n', close: true },
  { name: 'non-numeric content-length', response: 'HTTP/1.1 200 OK\r\ncontent-length: abc\r\n\r\n', close: true },
  { name: 'content-length with a suffix', response: 'HTTP/1.1 200 OK\r\ncontent-length: 3x\r\n\r\nabc', close: true },
  { name: 'body shorter than content-length', response: 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc', close: true },
  // chunked
  { name: 'chunked', response: chunked('5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n') },
  { name: 'chunked, upper-case hex', response: chunked('A\r\n0123456789\r\n1F\r\n' + 'y'.repeat(31) + '\r\n0\r\n\r\n') },
  { name: 'chunked with extensions', response: chunked('5;name=value\r\nhello\r\n0;last\r\n\r\n') },
  { name: 'chunked with trailers', response: chunked('5\r\nhello\r\n0\r\nx-checksum: 1\r\nx-other: 2\r\n\r\n') },
  { name: 'chunked in pieces', response: ['HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r', '\nhel', 'lo\r\n0\r', '\n\r\n'] },
  { name: 'chunked, Transfer-Encoding: Chunked', response: 'HTTP/1.1 200 OK\r\nTransfer-Encoding: Chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' },
  { name: 'chunked, bad size', response: chunked('zz\r\nhello\r\n0\r\n\r\n'), close: true },
  { name: 'chunked, size too large', response: chunked('FFFFFFFFFFFFFFFFFFFF\r\nhello\r\n'), close: true },
  { name: 'chunked, data longer than its size', response: chunked('2\r\nabc\r\n0\r\n\r\n'), close: true },
  { name: 'chunked, cut before the last chunk', response: chunked('5\r\nhello\r\n'), close: true },
  { name: 'transfer-encoding: xchunked', response: 'HTTP/1.1 200 OK\r\ntransfer-encoding: xchunked\r\n\r\nabc', close: true,
    perfctl: { outcome: { status: null, bodyLength: 0, success: false }, why: 'a transfer coding perfctl cannot undo is a framing error (llhttp reads such a body to the close), so a misconfigured service never passes as a success' } },
  { name: 'transfer-encoding: chunked, gzip', response: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\nabc', close: true,
    perfctl: { outcome: { status: null, bodyLength: 0, success: false }, why: 'chunked not last: the length is unknowable, a framing error (llhttp reads to the close)' } },
  { name: 'content-length and chunked', response: 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n', close: true },
  // no length: close-delimited
  { name: 'close-delimited body', response: 'HTTP/1.1 200 OK\r\n\r\nuntil the close', close: true },
  { name: 'HTTP/1.0 close-delimited', response: 'HTTP/1.0 200 OK\r\ncontent-type: text/plain\r\n\r\nold server', close: true },
  { name: 'HTTP/1.0 with content-length, no keep-alive', response: 'HTTP/1.0 200 OK\r\ncontent-length: 2\r\n\r\nok' },
  { name: 'HTTP/1.0 keep-alive', response: 'HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 2\r\n\r\nok' },
  // no body
  { name: '204 with a content-length', response: 'HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n' },
  { name: '304', response: 'HTTP/1.1 304 Not Modified\r\netag: "v1"\r\n\r\n' },
  { name: 'HEAD with content-length', response: 'HTTP/1.1 200 OK\r\ncontent-length: 1000\r\n\r\n', method: 'HEAD' },
  { name: 'HEAD, chunked', response: 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n', method: 'HEAD' },
  // interim answers
  { name: '103 Early Hints, then 200', response: 'HTTP/1.1 103 Early Hints\r\nlink: </style.css>; rel=preload\r\n\r\n' + ok('page') },
  { name: '100 Continue, then 201', response: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n' },
  { name: '103 in its own piece', response: ['HTTP/1.1 103 Early Hints\r\n\r\n', ok('late')] },
  { name: 'two interim answers', response: 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\n' + ok('x') },
  // bad status lines and heads
  { name: 'status 1000', response: 'HTTP/1.1 1000 OK\r\ncontent-length: 0\r\n\r\n', close: true },
  { name: 'garbage status line', response: 'HELLO WORLD\r\n\r\n', close: true },
  { name: 'status with letters', response: 'HTTP/1.1 2x0 OK\r\ncontent-length: 0\r\n\r\n', close: true },
  { name: 'HTTP/2.0 status line', response: 'HTTP/2.0 200 OK\r\ncontent-length: 0\r\n\r\n', close: true,
    perfctl: { outcome: { status: null, success: false }, why: 'an HTTP/1.1 connection answered by a status line of another version is a broken service: parse error (llhttp takes any digit.digit)' } },
  { name: 'header without a colon', response: 'HTTP/1.1 200 OK\r\nno colon here\r\ncontent-length: 0\r\n\r\n', close: true },
  { name: 'space before the colon', response: 'HTTP/1.1 200 OK\r\ncontent-length : 2\r\n\r\nok', close: true },
  { name: 'obs-fold', response: 'HTTP/1.1 200 OK\r\nx-folded: one\r\n two\r\ncontent-length: 2\r\n\r\nok', close: true },
  { name: 'bare LF line endings', response: 'HTTP/1.1 200 OK\ncontent-length: 2\n\nok', close: true },
  { name: 'bare CR in the head', response: 'HTTP/1.1 200 OK\rcontent-length: 2\r\n\r\nok', close: true },
  { name: 'chunk size, spaces before an extension', response: chunked('5 ;a=b\r\nhello\r\n0\r\n\r\n'), close: true },
  { name: 'chunk size with trailing spaces', response: chunked('5  \r\nhello\r\n0\r\n\r\n'), close: true },
  { name: 'control byte in a value', response: 'HTTP/1.1 200 OK\r\nx-a: b\x01c\r\ncontent-length: 0\r\n\r\n', close: true },
  { name: 'head of 20 KiB', response: `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(20 * 1024)}\r\ncontent-length: 0\r\n\r\n`, close: true },
  { name: 'head of 64 KiB in pieces', response: ['HTTP/1.1 200 OK\r\n', ...Array.from({ length: 64 }, () => `x-h: ${'b'.repeat(1018)}\r\n`), 'content-length: 0\r\n\r\n'], close: true },
  { name: 'head of 12 KiB', response: `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(12 * 1024)}\r\ncontent-length: 2\r\n\r\nok` },
  { name: 'closed before any byte', response: '', close: true },
  { name: 'closed in the head', response: 'HTTP/1.1 200 OK\r\ncontent-len', close: true },
  // bytes nobody asked for
  // bytes after a response with no request pending are never read as the next answer: the connection is closed (perfctl counts it)
  { name: 'extra bytes after the response', response: ok('one') + 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\n\r\ntwo' },
  { name: 'extra bytes after a 204', response: 'HTTP/1.1 204 No Content\r\n\r\nstray',
    perfctl: { outcome: { status: 204, success: true }, why: 'the answer to the request was complete and valid; the stray bytes after it close the connection and are counted apart (llhttp fails the exchange when they arrive in the same packet)' } },
];
