// The build precompiles the report templates (scripts/precompile-templates.mjs); a built perfctl
// renders with those and the handlebars runtime only. They must give exactly what compiling the
// .hbs files at run time gives (tests run from src/, which compiles them), escaping included.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { renderHtml } from '../../src/report/html/render-html.js';
import { hostileResult, spikeRun } from '../helpers/html-report-fixture.js';

const BUILT = fileURLToPath(new URL('../../dist/report/html/render-html.js', import.meta.url));
const PRECOMPILED = fileURLToPath(new URL('../../dist/report/html/precompiled-templates.cjs', import.meta.url));

describe('precompiled report templates (dist/, built by `npm test`)', () => {
  it('exist after the build, one page per .hbs and every partial', async () => {
    expect(existsSync(PRECOMPILED)).toBe(true);
    const specs = (await import(PRECOMPILED)).default as { pages: Record<string, unknown>; partials: Record<string, unknown> };
    expect(Object.keys(specs.pages).sort()).toEqual(['history', 'report']);
    expect(Object.keys(specs.partials)).toContain('verdict');
  });

  it.each([
    ['a failed spike run', spikeRun],
    ['a result full of markup and quotes', hostileResult],
  ])('render %s byte for byte as the templates compiled at run time', async (_name, make) => {
    const built = (await import(BUILT)) as { renderHtml: typeof renderHtml };
    const result = make();
    const precompiled = built.renderHtml([result]);
    expect(precompiled.length).toBeGreaterThan(1000);
    expect(precompiled).toBe(renderHtml([result]));
  });
});
