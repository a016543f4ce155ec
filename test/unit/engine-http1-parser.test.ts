// The HTTP/1.1 response parser, fed whole, byte by byte and in every two-piece split.
import { describe, expect, it } from 'vitest';
import { MAX_HEAD_BYTES, Parse, ResponseParser, type ParseRequest } from '../../src/engine/http1-parser.js';

interface Parsed {
  outcome: 'done' | 'error' | 'more';
  status: number;
  errorKind: string | null;
  body: string;
  keepAlive: boolean;
  /** bytes after the response */
  extra: number;
}

const plain: ParseRequest = { head: false, headers: false, bodyBytes: 1 << 20 };

/** Feeds `pieces` one after the other; `closed` = the server closes after the last. */
function run(parser: ResponseParser, pieces: Buffer[], closed: boolean, request: ParseRequest = plain): Parsed {
  parser.start(request);
  let outcome: Parsed['outcome'] = 'more';
  let extra = 0;
  for (let i = 0; i < pieces.length; i++) {
    const piece = pieces[i]!;
    const result = parser.feed(piece);
    if (result === Parse.More) continue;
    outcome = result === Parse.Done ? 'done' : 'error';
    extra = piece.length - parser.consumed + pieces.slice(i + 1).reduce((n, p) => n + p.length, 0);
    break;
  }
  if (outcome === 'more' && closed) outcome = parser.finish() === Parse.Done ? 'done' : 'error';
  return {
    outcome,
    status: parser.status,
    errorKind: parser.errorKind,
    body: Buffer.concat(parser.body).toString('latin1'),
    keepAlive: parser.keepAlive,
    extra,
  };
}

function splits(text: string): Buffer[][] {
  const bytes = Buffer.from(text, 'latin1');
  const ways: Buffer[][] = [[bytes], [...bytes].map((b) => Buffer.from([b]))];
  for (let at = 1; at < bytes.length; at++) ways.push([bytes.subarray(0, at), bytes.subarray(at)]);
  return ways;
}

type Case = [name: string, raw: string, closed: boolean, expected: Partial<Parsed>, request?: Partial<ParseRequest>];

const cases: Case[] = [
  ['content-length', 'HTTP/1.1 200 OK\r\ncontent-length: 5\r\n\r\nhello', false, { outcome: 'done', status: 200, body: 'hello', keepAlive: true }],
  ['no reason phrase', 'HTTP/1.1 200\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'done', status: 200, body: '' }],
  ['upper-case names', 'HTTP/1.1 200 OK\r\nCONTENT-LENGTH: 2\r\nConnection: Close\r\n\r\nok', false, { outcome: 'done', body: 'ok', keepAlive: false }],
  ['chunked with extensions and trailers', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5;a=b\r\nhello\r\nA\r\n0123456789\r\n0\r\nx-trailer: 1\r\n\r\n', false, { outcome: 'done', body: 'hello0123456789', keepAlive: true }],
  ['chunked upper-case hex', 'HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, CHUNKED\r\n\r\n1F\r\n' + 'x'.repeat(31) + '\r\n0\r\n\r\n', false, { outcome: 'done', body: 'x'.repeat(31) }],
  ['chunk size, spaces before an extension', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5 ;a\r\nhello\r\n0\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['chunk size with trailing spaces', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5  \r\nhello\r\n0\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['bare CR in the reason phrase', 'HTTP/1.1 200 OK\rx: 1\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['101 nobody asked for: no body, not reusable', 'HTTP/1.1 101 Switching Protocols\r\nupgrade: websocket\r\n\r\n', false, { outcome: 'done', status: 101, keepAlive: false }],
  ['chunk size not hex', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['chunk size overflow', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nFFFFFFFFFFFFFFFFF\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['chunk data without CRLF', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['close-delimited', 'HTTP/1.1 200 OK\r\n\r\nuntil the end', true, { outcome: 'done', body: 'until the end', keepAlive: false }],
  ['close-delimited still open', 'HTTP/1.1 200 OK\r\n\r\nmore', false, { outcome: 'more' }],
  ['HTTP/1.0 close-delimited', 'HTTP/1.0 200 OK\r\n\r\nold', true, { outcome: 'done', body: 'old', keepAlive: false }],
  ['HTTP/1.0 keep-alive', 'HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 1\r\n\r\nx', false, { outcome: 'done', keepAlive: true }],
  ['HTTP/1.0 with length', 'HTTP/1.0 200 OK\r\ncontent-length: 1\r\n\r\nx', false, { outcome: 'done', keepAlive: false }],
  ['103 then 200', 'HTTP/1.1 103 Early Hints\r\nlink: </a.css>; rel=preload\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok', false, { outcome: 'done', status: 200, body: 'ok' }],
  ['100 then 201', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 201 Created\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'done', status: 201 }],
  ['two interim answers', 'HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'done', status: 200 }],
  ['204 ignores content-length', 'HTTP/1.1 204 No Content\r\ncontent-length: 5\r\n\r\n', false, { outcome: 'done', status: 204, extra: 0 }],
  ['304 without body', 'HTTP/1.1 304 Not Modified\r\netag: "x"\r\n\r\n', false, { outcome: 'done', status: 304 }],
  ['HEAD without body', 'HTTP/1.1 200 OK\r\ncontent-length: 100\r\n\r\n', false, { outcome: 'done', status: 200, keepAlive: true }, { head: true }],
  ['extra bytes after the response', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nokHTTP/1.1 200 OK\r\n\r\n', false, { outcome: 'done', body: 'ok', extra: 19 }],
  ['two different content-lengths', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 3\r\n\r\nabc', false, { outcome: 'error', errorKind: 'framing' }],
  ['repeated equal content-length', 'HTTP/1.1 200 OK\r\ncontent-length: 2\r\ncontent-length: 2\r\n\r\nab', false, { outcome: 'error', errorKind: 'framing' }],
  ['negative content-length', 'HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['non-numeric content-length', 'HTTP/1.1 200 OK\r\ncontent-length: 12abc\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['content-length list', 'HTTP/1.1 200 OK\r\ncontent-length: 2, 2\r\n\r\nab', false, { outcome: 'error', errorKind: 'framing' }],
  ['unknown transfer coding', 'HTTP/1.1 200 OK\r\ntransfer-encoding: xchunked\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['chunked not last', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked, gzip\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['both length and chunked', 'HTTP/1.1 200 OK\r\ncontent-length: 3\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n', false, { outcome: 'error', errorKind: 'framing' }],
  ['status 1000', 'HTTP/1.1 1000 OK\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['garbage status line', 'HELLO THERE\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['status 099', 'HTTP/1.1 099 Low\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['HTTP/2.0 on a 1.1 connection', 'HTTP/2.0 200 OK\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['obs-fold', 'HTTP/1.1 200 OK\r\nx-long: a\r\n  b\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['space before colon', 'HTTP/1.1 200 OK\r\ncontent-length : 0\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['control byte in a value', 'HTTP/1.1 200 OK\r\nx-a: b\x01c\r\ncontent-length: 0\r\n\r\n', false, { outcome: 'error', errorKind: 'parse' }],
  ['cut in the head', 'HTTP/1.1 200 OK\r\ncontent-le', true, { outcome: 'error', errorKind: null }],
  ['cut in the body', 'HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\nabc', true, { outcome: 'error', errorKind: null }],
  ['cut in a chunk', 'HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n5\r\nab', true, { outcome: 'error', errorKind: null }],
];

describe('HTTP/1.1 response parser', () => {
  const parser = new ResponseParser(); // one parser reused for every case, as a connection does
  for (const [name, raw, closed, expected, request] of cases) {
    it(`${name}: the same in every split`, () => {
      for (const pieces of splits(raw)) {
        const parsed = run(parser, pieces, closed, { ...plain, ...request });
        expect(parsed, `${name} in ${pieces.length} pieces (first ${pieces[0]!.length} bytes)`).toMatchObject(expected);
      }
    });
  }

  it('counts the wire bytes of every piece, interim answers included', () => {
    const raw = 'HTTP/1.1 103 Early Hints\r\n\r\nHTTP/1.1 200 OK\r\ncontent-length: 2\r\n\r\nok';
    for (const pieces of splits(raw)) {
      run(parser, pieces, false);
      expect(parser.wireBytes).toBe(raw.length);
      expect(parser.interim).toBe(1);
    }
  });

  it('keeps headers only when asked, and always the ones redirects, cookies and decoding need', () => {
    const raw = 'HTTP/1.1 302 Found\r\nLocation: /next\r\nSet-Cookie: a=1; Path=/\r\nset-cookie: b=2\r\nContent-Encoding: GZIP\r\nkeep-alive: timeout=5, max=100\r\nx-one: 1\r\ncontent-length: 0\r\n\r\n';
    run(parser, [Buffer.from(raw)], false);
    expect(parser.headers).toBeNull();
    expect(parser.location).toBe('/next');
    expect(parser.setCookies).toEqual(['a=1; Path=/', 'b=2']);
    expect(parser.contentEncoding).toBe('gzip');
    expect(parser.keepAliveTimeoutMs).toBe(5000);
    run(parser, [Buffer.from(raw)], false, { ...plain, headers: true });
    expect(parser.headers).toMatchObject({ location: ['/next'], 'set-cookie': ['a=1; Path=/', 'b=2'], 'x-one': ['1'] });
    // the next response on the connection starts clean
    run(parser, [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n')], false);
    expect([parser.location, parser.setCookies, parser.keepAliveTimeoutMs]).toEqual(['', null, -1]);
  });

  const keepAliveCases: Array<[string, number]> = [
    ['timeout=5', 5000],
    ['timeout=5, max=100', 5000],
    ['max=100, timeout=7', 7000],
    ['Timeout = 12', 12000],
    ['max=100,timeout=3', 3000],
    ['timeout=', -1],
    ['timeout=x', -1],
    ['xtimeout=5', -1],
    ['max=100', -1],
    ['', -1],
  ];
  it.each(keepAliveCases)('keep-alive: %j → timeout %d ms', (value, ms) => {
    run(parser, [Buffer.from(`HTTP/1.1 200 OK\r\nkeep-alive: ${value}\r\ncontent-length: 0\r\n\r\n`)], false);
    expect(parser.keepAliveTimeoutMs).toBe(ms);
  });

  it('keeps at most bodyBytes of the body and still reads the rest', () => {
    const parsed = run(parser, [Buffer.from('HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n0123456789')], false, { ...plain, bodyBytes: 4 });
    expect(parsed).toMatchObject({ outcome: 'done', body: '0123' });
  });

  it('refuses a head larger than the limit, and accepts one just under it', () => {
    const head = (size: number): string => `HTTP/1.1 200 OK\r\nx-big: ${'a'.repeat(size)}\r\ncontent-length: 0\r\n\r\n`;
    const over = head(MAX_HEAD_BYTES);
    const under = head(MAX_HEAD_BYTES - 100);
    for (const pieces of [[Buffer.from(over)], chunksOf(over, 1000), chunksOf(over, 7)]) {
      expect(run(parser, pieces, false)).toMatchObject({ outcome: 'error', errorKind: 'header-size' });
    }
    for (const pieces of [[Buffer.from(under)], chunksOf(under, 1000), chunksOf(under, 7)]) {
      expect(run(parser, pieces, false)).toMatchObject({ outcome: 'done', status: 200 });
    }
    // a head that never ends stops at the limit instead of growing
    expect(run(parser, chunksOf(`HTTP/1.1 200 OK\r\n${'x-a: b\r\n'.repeat(5000)}`, 512), false)).toMatchObject({ outcome: 'error', errorKind: 'header-size' });
  });
});

function chunksOf(text: string, size: number): Buffer[] {
  const bytes = Buffer.from(text, 'latin1');
  const pieces: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += size) pieces.push(bytes.subarray(at, at + size));
  return pieces;
}
