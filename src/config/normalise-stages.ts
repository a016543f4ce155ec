// Stages: a duration and one level each (`rate` or `vus`, the same for all), ramped from `from`
// (default: the previous stage's level); unique names, from the shape when not given.

import { formatDuration, readDuration } from './duration.js';
import { has, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import type { LoadModel, StageSpec } from './types.js';

interface RawStage {
  index: number;
  explicitName: string | undefined;
  stage: StageSpec;
}

export function normaliseStages(raw: unknown, report: Report): { model: LoadModel; stages: StageSpec[] } {
  const items = Array.isArray(raw) ? raw : [];
  let modelKey: 'rate' | 'vus' | undefined;
  let modelStage = 0;
  let previousLevel: number | undefined;
  let durationsRead = true;
  const read: RawStage[] = [];
  const levelHint = 'use `rate: N` for N requests started per second, or `vus: N` for N virtual users';

  items.forEach((item: unknown, index) => {
    if (!isRecord(item)) return;
    const path = ['stages', index];
    const duration = readDuration(item['duration']);
    if (!duration.ok) {
      durationsRead = false;
      if (has(item, 'duration')) report([...path, 'duration'], duration.message, duration.hint);
    }
    const durationMs = duration.ok ? duration.value : 0;
    const hasRate = has(item, 'rate');
    const hasVus = has(item, 'vus');
    if (hasRate && hasVus) report(path, 'has both `rate` and `vus`', levelHint);
    if (!hasRate && !hasVus) report(path, 'needs `rate` or `vus`', levelHint);
    const key = hasVus && !hasRate ? 'vus' : 'rate';
    if (hasRate || hasVus) {
      if (modelKey === undefined) {
        modelKey = key;
        modelStage = index;
      } else if (key !== modelKey) {
        report([...path, key], 'stages mix rate and vus', `stages.${modelStage} uses \`${modelKey}\`; every stage of a profile uses the same one`);
      }
    }
    const level = typeof item[key] === 'number' && (item[key] as number) >= 0 ? (item[key] as number) : 0;
    let fromLevel = previousLevel ?? level;
    if (typeof item['from'] === 'number' && item['from'] >= 0) {
      fromLevel = item['from'];
      if (key === 'vus' && !Number.isInteger(fromLevel)) report([...path, 'from'], 'must be a whole number of users');
    }
    previousLevel = level;
    const explicitName = typeof item['name'] === 'string' && item['name'] !== '' ? item['name'] : undefined;
    read.push({ index, explicitName, stage: { name: '', durationMs, fromLevel, toLevel: level } });
  });

  nameStages(read, report);
  const stages = read.map((entry) => entry.stage);
  const totalMs = stages.reduce((sum, stage) => sum + stage.durationMs, 0);
  if (stages.length > 0 && durationsRead && totalMs === 0) {
    report(['stages'], `the stages last ${formatDuration(totalMs)} in total`, 'give at least one stage a duration, e.g. "1m"');
  }
  const levelsRead = items.every((item) => isRecord(item) && typeof item[modelKey ?? 'rate'] === 'number');
  if (stages.length > 0 && modelKey !== undefined && levelsRead && stages.every((stage) => stage.fromLevel === 0 && stage.toLevel === 0)) {
    report(['stages'], `every stage has ${modelKey} 0: the plan sends nothing`, `give at least one stage a ${modelKey} above 0`);
  }
  return { model: modelKey === 'vus' ? 'closed' : 'open', stages };
}

/** a name from the stage's shape: ramp-up, hold, ramp-down, jump, drop */
function shapeName(stage: StageSpec): string {
  const change = Math.sign(stage.toLevel - stage.fromLevel);
  if (stage.durationMs === 0) return change > 0 ? 'jump' : change < 0 ? 'drop' : 'step';
  return change > 0 ? 'ramp-up' : change < 0 ? 'ramp-down' : 'hold';
}

/** explicit names must be unique; the others are named after their shape, made unique with -2, -3... */
function nameStages(read: RawStage[], report: Report): void {
  const taken = new Map<string, number>();
  for (const entry of read) {
    if (entry.explicitName === undefined) continue;
    const first = taken.get(entry.explicitName);
    if (first !== undefined) {
      report(['stages', entry.index, 'name'], `stage name "${entry.explicitName}" is already used by stages.${first}`, 'target rows refer to stages by name: give each its own');
    } else {
      taken.set(entry.explicitName, entry.index);
    }
  }
  for (const entry of read) {
    if (entry.explicitName !== undefined) {
      entry.stage.name = entry.explicitName;
      continue;
    }
    const base = shapeName(entry.stage);
    let name = base;
    for (let n = 2; taken.has(name); n++) name = `${base}-${n}`;
    taken.set(name, entry.index);
    entry.stage.name = name;
  }
}
