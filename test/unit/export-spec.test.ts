import { describe, expect, it } from 'vitest';
import { parseCheckpoint, parseExportSpec, parseExportSpecs, parseLinger } from '../../src/export/export-spec.js';
import { PerfctlError } from '../../src/errors.js';

describe('--export kind=where', () => {
  it.each([
    ['prometheus', { kind: 'prometheus', host: '127.0.0.1', port: 9464 }],
    ['prometheus=9500', { kind: 'prometheus', host: '127.0.0.1', port: 9500 }],
    ['prometheus=:9500', { kind: 'prometheus', host: '127.0.0.1', port: 9500 }],
    ['prometheus=0.0.0.0:9500', { kind: 'prometheus', host: '0.0.0.0', port: 9500 }],
    ['prometheus=[::1]:9500', { kind: 'prometheus', host: '::1', port: 9500 }],
    ['prometheus=localhost', { kind: 'prometheus', host: 'localhost', port: 9464 }],
    ['statsd', { kind: 'statsd', host: '127.0.0.1', port: 8125 }],
    ['statsd=10.0.0.5:9125', { kind: 'statsd', host: '10.0.0.5', port: 9125 }],
    ['otlp', { kind: 'otlp', url: 'http://127.0.0.1:4318' }],
    ['otlp=https://collector:4318', { kind: 'otlp', url: 'https://collector:4318' }],
    ['ndjson=out/live.ndjson', { kind: 'ndjson', file: 'out/live.ndjson' }],
    ['NDJSON=a=b.ndjson', { kind: 'ndjson', file: 'a=b.ndjson' }],
  ])('%s', (text, spec) => {
    expect(parseExportSpec(text)).toEqual(spec);
  });

  it.each([
    ['graphite=1.2.3.4', /unknown kind "graphite"/],
    ['ndjson', /name the file/],
    ['prometheus=127.0.0.1:99999', /port must be a number from 0 to 65535/],
    ['prometheus=::1:9464', /IPv6 address in brackets/],
    ['otlp=not a url', /is not a URL/],
    ['otlp=ftp://x', /must be http or https/],
  ])('%s is refused (exit 2)', (text, message) => {
    let error: unknown;
    try {
      parseExportSpec(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PerfctlError);
    expect((error as PerfctlError).exitCode).toBe(2);
    expect((error as Error).message).toMatch(message);
  });

  it('the same destination twice is refused, two files are not', () => {
    expect(() => parseExportSpecs(['ndjson=a', 'ndjson=a'])).toThrow(/twice/);
    expect(parseExportSpecs(['ndjson=a', 'ndjson=b'])).toHaveLength(2);
    expect(parseExportSpecs(undefined)).toEqual([]);
  });
});

describe('--checkpoint and --export-linger', () => {
  it.each([
    [undefined, 10_000],
    ['30s', 30_000],
    ['1m', 60_000],
    ['off', null],
    ['OFF', null],
  ])('--checkpoint %s', (text, ms) => expect(parseCheckpoint(text)).toBe(ms));

  it('a checkpoint under a second, or without a unit, is refused', () => {
    expect(() => parseCheckpoint('500ms')).toThrow(/at least 1s/);
    expect(() => parseCheckpoint('10')).toThrow(/--checkpoint/);
  });

  it.each([
    [undefined, 15_000],
    ['0s', 0],
    ['2m', 120_000],
  ])('--export-linger %s', (text, ms) => expect(parseLinger(text)).toBe(ms));
});
