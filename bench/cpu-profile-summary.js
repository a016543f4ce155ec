// Summarises a V8 .cpuprofile (from `node --cpu-prof`): the functions with the most self time,
// and self time by where the code lives (perfctl, undici, hdr-histogram-js, Node internals, GC).
//
//   node bench/cpu-profile-summary.js <file.cpuprofile | dir> [--top 20] [--json]
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/** Where a frame's code lives, for the by-area totals. */
function areaOf(url, functionName) {
  if (!url) {
    if (functionName === '(garbage collector)') return 'GC';
    if (functionName === '(idle)') return 'idle';
    if (functionName === '(program)') return 'program (native, outside JS)';
    return 'native/builtin';
  }
  if (url.includes('/node_modules/undici/')) return 'undici';
  if (url.includes('/node_modules/hdr-histogram-js/')) return 'hdr-histogram-js';
  if (url.includes('/node_modules/')) return 'other node_modules';
  if (url.startsWith('node:')) return 'Node internals';
  if (url.includes('/dist/')) return 'perfctl (dist/)';
  return 'other';
}

function shortUrl(url) {
  if (!url) return '';
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) return url.slice(nm + '/node_modules/'.length);
  const dist = url.lastIndexOf('/dist/');
  if (dist >= 0) return url.slice(dist + 1);
  return url.replace(/^file:\/\//, '');
}

export function summariseCpuProfile(profile, top = 20) {
  const { nodes, samples, timeDeltas } = profile;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  // self time per node: samples × the median sampling interval. (Summing each sample's time
  // delta instead would charge the time a descheduled process waited for a core to whatever
  // ran last, which misleads on a busy machine.)
  const sortedDeltas = timeDeltas.filter((d) => d > 0).sort((a, b) => a - b);
  const intervalUs = sortedDeltas[Math.floor(sortedDeltas.length / 2)] ?? 1000;
  const selfUs = new Map();
  for (const id of samples) selfUs.set(id, (selfUs.get(id) ?? 0) + intervalUs);
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);
  const idleUs = [...selfUs.entries()].filter(([id]) => byId.get(id)?.callFrame.functionName === '(idle)').reduce((a, [, v]) => a + v, 0);
  const busyUs = totalUs - idleUs;
  const parentOf = new Map();
  for (const n of nodes) for (const child of n.children ?? []) parentOf.set(child, n.id);
  const frameKey = ({ functionName, url, lineNumber }) => `${functionName || '(anonymous)'} ${shortUrl(url)}${url ? `:${lineNumber + 1}` : ''}`;
  /** the nearest perfctl (dist/) frame above a node: who on perfctl's side caused the cost */
  const perfctlCaller = (id) => {
    for (let at = parentOf.get(id); at !== undefined; at = parentOf.get(at)) {
      const frame = byId.get(at).callFrame;
      if (frame.url.includes('/dist/')) return frameKey(frame);
    }
    return null;
  };
  const byFunction = new Map();
  const callers = new Map();
  const byArea = new Map();
  for (const [id, us] of selfUs) {
    const { functionName, url } = byId.get(id).callFrame;
    const key = frameKey(byId.get(id).callFrame);
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const caller = url.includes('/dist/') ? null : perfctlCaller(id);
    if (caller) {
      const perKey = callers.get(key) ?? new Map();
      perKey.set(caller, (perKey.get(caller) ?? 0) + us);
      callers.set(key, perKey);
    }
    const area = areaOf(url, functionName);
    byArea.set(area, (byArea.get(area) ?? 0) + us);
  }
  const pct = (us) => Math.round((us / Math.max(1, busyUs)) * 1000) / 10;
  return {
    samples: samples.length,
    intervalUs,
    sampledMs: Math.round(totalUs / 1000),
    busyMs: Math.round(busyUs / 1000),
    idleMs: Math.round(idleUs / 1000),
    topFunctions: [...byFunction.entries()]
      .filter(([k]) => !k.startsWith('(idle)'))
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([fn, us]) => {
        const via = [...(callers.get(fn) ?? new Map()).entries()].sort((a, b) => b[1] - a[1])[0];
        // the perfctl function most of this cost came through (share of this function's self time)
        const viaShare = via ? Math.round((via[1] / us) * 100) : 0;
        return { function: fn, selfMs: Math.round(us / 1000), percentOfBusy: pct(us), viaPerfctl: via ? via[0] : null, viaPerfctlPercent: viaShare };
      }),
    byArea: [...byArea.entries()]
      .filter(([a]) => a !== 'idle')
      .sort((a, b) => b[1] - a[1])
      .map(([area, us]) => ({ area, selfMs: Math.round(us / 1000), percentOfBusy: pct(us) })),
  };
}

export function readCpuProfiles(fileOrDir) {
  const files = statSync(fileOrDir).isDirectory()
    ? readdirSync(fileOrDir).filter((f) => f.endsWith('.cpuprofile')).map((f) => path.join(fileOrDir, f))
    : [fileOrDir];
  return files.map((f) => ({ file: f, profile: JSON.parse(readFileSync(f, 'utf8')) }));
}

export function formatSummary(summary, title) {
  const lines = [`${title}: ${summary.busyMs} ms busy of ${summary.sampledMs} ms sampled (idle ${summary.idleMs} ms; ${summary.samples} samples every ~${summary.intervalUs} µs)`];
  lines.push('  self time by area:');
  for (const a of summary.byArea) lines.push(`    ${String(a.percentOfBusy).padStart(5)}%  ${String(a.selfMs).padStart(6)} ms  ${a.area}`);
  lines.push('  top functions by self time:');
  for (const f of summary.topFunctions) {
    const via = f.viaPerfctl && f.viaPerfctlPercent >= 20 ? `  <- ${f.viaPerfctl} (${f.viaPerfctlPercent}%)` : '';
    lines.push(`    ${String(f.percentOfBusy).padStart(5)}%  ${String(f.selfMs).padStart(6)} ms  ${f.function}${via}`);
  }
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node bench/cpu-profile-summary.js <file.cpuprofile | dir> [--top N] [--json]\n');
    process.exit(2);
  }
  const topIndex = process.argv.indexOf('--top');
  const top = topIndex > 0 ? Number(process.argv[topIndex + 1]) : 20;
  for (const { file, profile } of readCpuProfiles(target)) {
    const summary = summariseCpuProfile(profile, top);
    if (process.argv.includes('--json')) process.stdout.write(JSON.stringify({ file, ...summary }, null, 2) + '\n');
    else process.stdout.write(formatSummary(summary, path.basename(file)) + '\n');
  }
}
