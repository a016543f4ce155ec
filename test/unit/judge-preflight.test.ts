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
