import { describe, expect, it } from 'vitest';
import { requestRows } from '../../src/report/request-rows.js';
import type { Result, StatsBlock } from '../../src/result/types.js';
import { makeResult, spread } from '../helpers/result-fixture.js';

/** A result whose groups are `names` (in that order), flows marked by flow cells, steps from the resolved profile. */
function withGroups(names: string[], flows: Record<string, string[]>): Result {
  const r = makeResult({ cells: [{ group: 'x', phase: 'main', latenciesMs: spread(10, 1, 5) }] });
  const stats = r.groups['x'] as StatsBlock;
  r.groups = Object.fromEntries(names.map((n) => [n, stats]));
  r.cells = Object.keys(flows).map((name) => ({ ...r.cells[0]!, group: name, flow: true as const }));
  r.profile.resolved = { flows: Object.entries(flows).map(([name, steps]) => ({ name, steps: steps.map((s) => (s === 'think' ? { thinkMs: 100 } : { name: s })) })) };
  return r;
}

const shape = (r: Result): string[] => requestRows(r).map((row) => `${row.kind}:${row.name}${row.flow ? `<${row.flow}` : ''}`);

describe('requestRows: steps under their flow, the flow first', () => {
  it.each([
    {
      what: 'a request mix keeps its order',
      names: ['b', 'a'],
      flows: {},
      rows: ['request:b', 'request:a'],
    },
    {
      what: 'groups recorded step by step are put back under their flows, in the flow’s order',
      names: ['browse-list', 'submit-login', 'submit-me', 'browse-search', 'browsing', 'submitting'],
      flows: { browsing: ['browse-list', 'think', 'browse-search'], submitting: ['submit-login', 'submit-me'] },
      rows: ['flow:browsing', 'step:browse-list<browsing', 'step:browse-search<browsing', 'flow:submitting', 'step:submit-login<submitting', 'step:submit-me<submitting'],
    },
    {
      what: 'a stream step’s connect sits with its messages; a request of no flow comes last',
      names: ['collab-live.connect', 'collab-login', 'collab-live', 'health', 'collaboration'],
      flows: { collaboration: ['collab-login', 'collab-live'] },
      rows: ['flow:collaboration', 'step:collab-login<collaboration', 'step:collab-live.connect<collaboration', 'step:collab-live<collaboration', 'request:health'],
    },
  ])('$what', ({ names, flows, rows }) => {
    expect(shape(withGroups(names, flows))).toEqual(rows);
  });
});
