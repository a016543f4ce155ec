// Stages: a duration and one level each (`rate` or `vus`, the same for all), ramped from `from`
// (default: the previous stage's level); unique names, from the shape when not given.

import { suggest } from './did-you-mean.js';
import { formatDuration, readDuration } from './duration.js';
import { has, isRecord } from './read-values.js';
import type { Report } from './read-values.js';
import type { LoadModel, StageSpec } from './types.js';
import type { FieldPath } from './yaml-source.js';

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

  let stepNumber = 0;
  items.forEach((item: unknown, index) => {
    if (!isRecord(item)) return;
    const path = ['stages', index];
    if (has(item, 'staircase')) {
      const others = Object.keys(item).filter((key) => key !== 'staircase');
      if (others.length > 0) report([...path, others[0]!], 'a staircase entry has only `staircase`', 'its steps take their levels and durations from the staircase');
      const stairs = readStaircase(item['staircase'], [...path, 'staircase'], report);
      if (stairs === undefined) {
        durationsRead = false;
        return;
      }
      if (modelKey === undefined) {
        modelKey = stairs.key;
        modelStage = index;
      } else if (stairs.key !== modelKey) {
        report([...path, 'staircase', stairs.key], 'stages mix rate and vus', `stages.${modelStage} uses \`${modelKey}\`; every stage of a profile uses the same one`);
      }
      for (const stage of expandStaircase(stairs, previousLevel, () => ++stepNumber)) {
        read.push({ index, explicitName: stage.name, stage });
        previousLevel = stage.toLevel;
      }
      return;
    }
    // a misspelt `durration` is reported by the schema, with the key it meant
    if (!has(item, 'duration') && suggest('duration', Object.keys(item)) === undefined) {
      durationsRead = false;
      report(path, '`duration` is missing', 'each stage needs a duration, e.g. `{ duration: 1m, rate: 100 }`, or a `staircase`');
    }
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

export interface Staircase {
  key: 'rate' | 'vus';
  from: number;
  to: number;
  by: number;
  holdMs: number;
  rampMs: number;
  name: string;
}

/** most steps a staircase may expand to (a typo in `by` should not plan a million stages) */
const MAX_STEPS = 1000;

function readStaircase(raw: unknown, path: FieldPath, report: Report): Staircase | undefined {
  if (!isRecord(raw)) return undefined; // the schema reports the type
  const hasRate = has(raw, 'rate');
  const hasVus = has(raw, 'vus');
  if (hasRate === hasVus) {
    report(path, hasRate ? 'has both `rate` and `vus`' : 'needs `rate` or `vus`: the level of its first step', 'e.g. `staircase: { vus: 100, to: 5000, by: 100, hold: 2m }`');
    return undefined;
  }
  const key = hasRate ? 'rate' : 'vus';
  const numbers = [raw[key], raw['to'], raw['by']];
  if (!numbers.every((n) => typeof n === 'number' && n >= 0) || (raw['by'] as number) <= 0) return undefined; // the schema says which
  const [from, to, by] = numbers as [number, number, number];
  const hold = readDuration(raw['hold']);
  if (!hold.ok) {
    if (has(raw, 'hold')) report([...path, 'hold'], hold.message, hold.hint);
    return undefined;
  }
  if (hold.value === 0) {
    report([...path, 'hold'], 'must be longer than 0s', 'each step holds its level for a while, e.g. "2m"');
    return undefined;
  }
  const ramp = has(raw, 'ramp') ? readDuration(raw['ramp']) : ({ ok: true, value: 0 } as const);
  if (!ramp.ok) {
    report([...path, 'ramp'], ramp.message, ramp.hint);
    return undefined;
  }
  if (to < from) {
    report([...path, 'to'], `is below the first step's ${from}`, 'a staircase climbs: `to` is the level of its last step');
    return undefined;
  }
  if (key === 'vus' && (!Number.isInteger(to) || !Number.isInteger(by))) {
    report([...path, Number.isInteger(to) ? 'by' : 'to'], 'must be a whole number of users');
    return undefined;
  }
  const steps = Math.floor((to - from) / by + 1e-9) + 1;
  if (steps > MAX_STEPS) {
    report(path, `expands to ${steps} steps, more than ${MAX_STEPS}`, 'take bigger steps (`by`)');
    return undefined;
  }
  const name = typeof raw['name'] === 'string' && raw['name'] !== '' ? raw['name'] : 'step';
  return { key, from, to, by, holdMs: hold.value, rampMs: ramp.value, name };
}

/**
 * The stages of a staircase: holds `name-1` ... `name-N` from `from` by `by` up to `to` (the last
 * step is `to` even when `by` does not divide the climb), each entered by a jump, or by a ramp
 * `name-N-ramp` between steps. `number` numbers the steps across the staircases of a profile.
 */
export function expandStaircase(stairs: Staircase, previousLevel: number | undefined, number: () => number): StageSpec[] {
  const levels: number[] = [];
  for (let level = stairs.from; level <= stairs.to + 1e-9; level += stairs.by) levels.push(Math.round(level * 1000) / 1000);
  if (levels[levels.length - 1]! < stairs.to) levels.push(stairs.to);
  const stages: StageSpec[] = [];
  let before = previousLevel;
  levels.forEach((level, index) => {
    const name = `${stairs.name}-${number()}`;
    if (index > 0 && stairs.rampMs > 0) stages.push({ name: `${name}-ramp`, durationMs: stairs.rampMs, fromLevel: before ?? level, toLevel: level });
    stages.push({ name, durationMs: stairs.holdMs, fromLevel: level, toLevel: level });
    before = level;
  });
  return stages;
}
