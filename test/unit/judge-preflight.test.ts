import { describe, expect, it } from 'vitest';
import type { Profile, TargetRow } from '../../src/config/types.js';
import { buildPlan } from '../../src/engine/plan.js';
import { describeEvidence, predictChecks } from '../../src/judge/preflight.js';

const row = (partial: Partial<TargetRow> & Pick<TargetRow, 'checks'>): TargetRow => ({ name: 'row', requests: null, phase: null, abortOnFail: false, ...partial });
const request = (name: string, weight: number): Profile['requests'][number] => ({ name, method: 'GET', path: '/', headers: {}, expectStatus: null, weight });

const profile = (targets: TargetRow[]): Pick<Profile, 'requests' | 'flows' | 'targets'> => ({
  requests: [request('list', 3), request('login', 1)],
  flows: [],
  targets,
});
// 10 s at 20/s, then 5 s at 40/s: 200 + 200 arrivals
const plan = buildPlan('open', [
  { name: 'warm', durationMs: 10_000, fromLevel: 20, toLevel: 20 },
  { name: 'peak', durationMs: 5_000, fromLevel: 40, toLevel: 40 },
]);

describe('pre-flight evidence', () => {
  it('rate × time × share of the mix, per row and phase', () => {
    const checks = predictChecks(
      profile([
        row({ name: 'All', checks: [{ metric: 'p99', limit: 50 }] }),
        row({ name: 'Login', requests: ['login'], checks: [{ metric: 'p95', limit: 50 }] }),
        row({ name: 'Peak list', requests: ['list'], phase: 'peak', checks: [{ metric: 'errorRate', limit: 0.01 }] }),
      ]),
      plan,
    );
    expect(checks).toEqual([
      { row: 'All', metric: 'p99', samples: 400, least: 299 },
      { row: 'Login', metric: 'p95', samples: 100, least: 59 },
      { row: 'Peak list', metric: 'errorRate', samples: 150, least: 299 },
    ]);
  });

  it('ws: and sse: requests: an SSE stream gives NAME and NAME.first per arrival, a WebSocket NAME.connect and rate × hold messages', () => {
    const text = { source: '', parts: [], encoding: 'none' } as never;
    const streams: Pick<Profile, 'requests' | 'flows' | 'targets'> = {
      requests: [
        { ...request('tutor', 1), stream: { kind: 'sse', url: text, headers: {}, until: null } },
        { ...request('collab', 1), stream: { kind: 'ws', url: text, headers: {}, holdMs: 2000, messages: { rate: 5, send: text, reply: null, timeoutMs: null } } },
      ],
      flows: [],
      targets: [
        row({ name: 'First words', requests: ['tutor.first'], checks: [{ metric: 'p95', limit: 50 }] }),
        row({ name: 'Answer', requests: ['tutor'], checks: [{ metric: 'p95', limit: 50 }] }),
        row({ name: 'Connect', requests: ['collab.connect'], checks: [{ metric: 'p95', limit: 50 }] }),
        row({ name: 'Edits', requests: ['collab'], checks: [{ metric: 'p95', limit: 50 }] }),
      ],
    };
    expect(predictChecks(streams, plan).map((check) => check.samples)).toEqual([200, 200, 200, 2000]);
    // NAME.first is no request of its own: a row over everything does not count it (as the judge does not)
    const all = predictChecks({ ...streams, targets: [row({ name: 'All', checks: [{ metric: 'p95', limit: 50 }] })] }, plan);
    expect(all[0]!.samples).toBe(200 + 200 + 2000);
  });

  it('names the checks this length cannot judge, and the -d that could', () => {
    const lines = describeEvidence(profile([row({ name: 'Peak list', requests: ['list'], phase: 'peak', checks: [{ metric: 'errorRate', limit: 0.01 }] })]), plan);
    expect(lines).toEqual(['evidence: 1 of 1 checks cannot be judged at this length; -d 30s would judge them:', '  Peak list errorRate: about 150 samples, 299 needed']);
  });

  it('a shard gets its slice; the closed model says its samples depend on latency', () => {
    expect(predictChecks(profile([row({ checks: [{ metric: 'p99', limit: 50 }] })]), plan, 2)[0]!.samples).toBe(200);
    const closed = buildPlan('closed', [{ name: 'hold', durationMs: 10_000, fromLevel: 5, toLevel: 5 }]);
    expect(describeEvidence(profile([row({ checks: [{ metric: 'p99', limit: 50 }] })]), closed)[0]).toMatch(/closed model.*latency/);
  });
});

describe('pre-flight evidence when every check can be judged', () => {
  it('names the tightest check and the least -d that could judge them all', () => {
    // All p99: 400 samples of 299 needed: 15 s × 299/400 = 11.2 s -> 12 s
    const lines = describeEvidence(profile([row({ name: 'All', checks: [{ metric: 'p99', limit: 50 }] }), row({ name: 'All p50', checks: [{ metric: 'p50', limit: 50 }] })]), plan);
    expect(lines).toEqual(['evidence: all 2 checks can be judged at this length (tightest: All p99, about 400 samples, 299 needed; -d 12s is the least that could judge them all)']);
  });

  it('closed model with a think time: users × time ÷ the mean think time is an upper bound', () => {
    // 5 users × 10 s ÷ 0.5 s = 100 requests at most: a p95 (59) maybe, a p99 (299) never
    const closed = buildPlan('closed', [{ name: 'hold', durationMs: 10_000, fromLevel: 5, toLevel: 5 }]);
    const withThink = (targets: TargetRow[]) => ({ ...profile(targets), thinkTime: { minMs: 250, maxMs: 750 } });
    expect(describeEvidence(withThink([row({ checks: [{ metric: 'p95', limit: 50 }] })]), closed)).toEqual([
      'evidence: closed model: at most about 100 samples for the fewest (row p95: users × time ÷ the 500ms mean think time; the service\'s latency makes it fewer); 1 checks, a p99 needs 299, a p95 59',
    ]);
    expect(describeEvidence(withThink([row({ name: 'All', checks: [{ metric: 'p99', limit: 50 }] })]), closed)).toEqual([
      'evidence: closed model: 1 of 1 checks cannot be judged at this length even at no latency (users × time ÷ the mean think time):',
      '  All p99: at most about 100 samples, 299 needed',
    ]);
  });
});
