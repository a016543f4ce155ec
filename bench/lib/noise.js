// Telling a busy host from the figures themselves: the bench's own repeats of one measurement.

/** Rounds of one closed-model throughput further apart than this (largest / smallest): a busy host. */
const THROUGHPUT_SPREAD = 1.3;
/** The same for the later seconds' worst start at 20,000/s (a max, so it may swing further). */
const START_LAG_SPREAD = 2;

/**
 * Notes for figures whose own repeats disagree: a host busy with other machines' work does not
 * show in the load average here, only in the same measurement taken twice. (The exports rounds
 * without exports, and the later seconds at 20,000/s, whose worst start is ~2 ms on a quiet host.)
 */
export function noisyHostNotes(results) {
  const notes = [];
  const spread = (xs) => {
    const ok = xs.filter((x) => typeof x === 'number' && x > 0);
    return ok.length < 2 ? null : Math.max(...ok) / Math.min(...ok);
  };
  const plain = spread((results.exports?.perRound ?? []).map((x) => x.noneRps));
  if (plain !== null && plain > THROUGHPUT_SPREAD) {
    notes.push(`the host was busy: the exports comparison's rounds without exports differed ${plain.toFixed(2)}× in throughput (same run, same profile); its ratio, and the CPU figures, are noisier than on a quiet host`);
  }
  const steady = spread((results.firstSecond?.rounds ?? []).map((x) => x.steadyStartLagMs));
  if (steady !== null && steady > START_LAG_SPREAD) {
    notes.push(`the host was busy: the later seconds' worst start at 20,000/s differed ${steady.toFixed(2)}× between runs (same profile); the first-second goal is not judged fairly in this run`);
  }
  return notes;
}
