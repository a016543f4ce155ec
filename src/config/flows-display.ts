// The flows and data files as result.json shows them in the resolved profile: templates as
// written (never a captured, data or environment value) and data files by name and size, not rows.

import type { DataSourceSpec, FlowSpec } from './types.js';

export interface FlowsForDisplay {
  flows: unknown[];
  data: Record<string, unknown>;
}

export function flowsForDisplay(flows: readonly FlowSpec[], data: readonly DataSourceSpec[]): FlowsForDisplay {
  return {
    flows: flows.map((flow) => ({
      name: flow.name,
      weight: flow.weight,
      steps: flow.steps.map((step) => {
        if (step.kind === 'think') {
          const { minMs, maxMs } = step.thinkTime;
          return { thinkMs: minMs === maxMs ? minMs : [minMs, maxMs] };
        }
        if (step.kind === 'stream') return { name: step.name, [step.spec.kind]: step.spec.url.source };
        return {
          name: step.name,
          method: step.method,
          path: step.path.source,
          headers: Object.fromEntries(Object.entries(step.headers).map(([key, value]) => [key, value.source])),
          ...(step.body !== undefined ? { body: step.body.source } : {}),
          expectStatus: step.expectStatus,
          ...(step.captures.length > 0
            ? {
                capture: Object.fromEntries(
                  step.captures.map((capture) => [
                    capture.name,
                    capture.from === 'json' ? capture.expression : capture.from === 'header' ? { header: capture.header } : { regex: capture.pattern },
                  ]),
                ),
              }
            : {}),
        };
      }),
    })),
    data: Object.fromEntries(data.map((source) => [source.name, { csv: source.file, order: source.order, columns: source.columns, rows: source.rows.length }])),
  };
}
