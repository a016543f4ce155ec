import { describe, expect, it } from 'vitest';
import { DEMO_READY_PREFIX, parseDemoArgs, parseDemoReadyLine } from '../../src/demo/demo-main.js';

describe('demo-main arguments', () => {
  it('defaults to a free port on 127.0.0.1', () => {
    expect(parseDemoArgs([])).toEqual({ ok: true, options: { port: 0, host: '127.0.0.1', seed: undefined } });
  });

  it('reads --port, --host and --seed', () => {
    expect(parseDemoArgs(['--port', '8080', '--host', '0.0.0.0', '--seed', '7'])).toEqual({
      ok: true,
      options: { port: 8080, host: '0.0.0.0', seed: 7 },
    });
    expect(parseDemoArgs(['--port=9000'])).toMatchObject({ ok: true, options: { port: 9000 } });
  });

  it('reads --tls (HTTPS with a certificate made at start-up); without it the options say nothing of TLS', () => {
    expect(parseDemoArgs(['--tls'])).toEqual({ ok: true, options: { port: 0, host: '127.0.0.1', seed: undefined, tls: true } });
    expect(parseDemoArgs([])).not.toHaveProperty('options.tls');
  });

  it.each([
    [['--port', 'abc'], /--port must be an integer from 0 to 65535, got "abc"/],
    [['--port', '70000'], /--port must be/],
    [['--seed', '1.5'], /--seed must be an integer/],
    [['--verbose'], /verbose/],
    [['extra'], /extra/],
  ])('rejects %j', (argv, message) => {
    const args = parseDemoArgs(argv);
    expect(args.ok).toBe(false);
    if (!args.ok) expect(args.message).toMatch(message);
  });
});

describe('demo ready line', () => {
  it('yields the URL from the line the demo prints', () => {
    expect(parseDemoReadyLine(`${DEMO_READY_PREFIX}http://127.0.0.1:40123\n`)).toBe('http://127.0.0.1:40123');
    expect(parseDemoReadyLine('perfctl demo listening on http://127.0.0.1:8080')).toBe('http://127.0.0.1:8080');
  });

  it('yields null for any other line', () => {
    expect(parseDemoReadyLine('(node:1) ExperimentalWarning: ...')).toBeNull();
  });
});
