// The validators compiled at build time must judge exactly as ajv does at run time.
import { createRequire } from 'node:module';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

const compiledFile = new URL('../../dist/schemas/result.validate.cjs', import.meta.url);

describe('schemas compiled at build time', () => {
  it('accept and reject the same results as the schema compiled at run time', () => {
    expect(existsSync(compiledFile), 'run `npm run build` first (npm test does)').toBe(true);
    const precompiled = (createRequire(import.meta.url)(compiledFile.pathname) as Record<string, ValidateFunction>)['result']!;
    const schema = JSON.parse(readFileSync(new URL('../../schemas/result.schema.json', import.meta.url), 'utf8')) as object;
    const runtime = new Ajv2020({ allErrors: true, strict: true, strictNumbers: true }).compile(schema);
    const good = makeResult({ cells: [{ group: 'a', phase: 'main', latenciesMs: spread(50, 1, 9) }] });
    const cases: unknown[] = [good, { ...good, schemaVersion: 2 }, { ...good, totals: { ...good.totals, rps: 'fast' } }, { ...good, extra: 1 }, {}];
    expect(cases.map((c) => precompiled(c))).toEqual(cases.map((c) => runtime(c)));
    expect(precompiled(good)).toBe(true);
  });
});
