// How perfctl's warm-up sink splits a connection's bytes into requests (each gets one answer).
import { describe, expect, it } from 'vitest';
import { takeRequests } from '../../src/engine/warm-up-sink.js';

const get = 'GET / HTTP/1.1\r\nhost: a\r\n\r\n';
const post = (body: string) => `POST /x HTTP/1.1\r\nhost: a\r\nContent-Length: ${body.length}\r\n\r\n${body}`;
const chunked = 'POST /c HTTP/1.1\r\nhost: a\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n';

describe('takeRequests', () => {
  const cases: Array<[string, string, number, string]> = [
    ['nothing yet', '', 0, ''],
    ['half a head', 'GET / HTTP/1.1\r\nho', 0, 'GET / HTTP/1.1\r\nho'],
    ['one GET', get, 1, ''],
    ['three pipelined GETs', get + get + get, 3, ''],
    ['a GET and the start of the next', get + 'GET /b', 1, 'GET /b'],
    ['a POST with its body', post('{"a":1}'), 1, ''],
    ['a POST whose body has not all come', post('{"a":1}').slice(0, -2), 0, post('{"a":1}').slice(0, -2)],
    ['a body that holds a blank line is not a second request', post('x\r\n\r\nGET / HTTP/1.1\r\n\r\n'), 1, ''],
    ['a chunked body, whole', chunked, 1, ''],
    ['a chunked body before its last chunk', chunked.slice(0, -5), 0, chunked.slice(0, -5)],
    ['a POST then a GET', post('hello') + get, 2, ''],
  ];
  it.each(cases)('%s', (_name, pending, complete, rest) => {
    expect(takeRequests(pending)).toEqual({ complete, rest });
  });
});
