// The run's seeded random stream (--seed). Every iteration draws from its own generator, seeded
// from (seed, user, iteration), so what an iteration sends depends only on who it is and never on
// the timing of the others: two runs with one seed send the same requests in the same order.
// sfc32 (Chris Doty-Humphrey's small fast counting generator): 128 bits of state, fast in JS.
import type { RandomFunction } from '../config/types.js';

export interface Rng {
  /** uniform in [0, 1) */
  next(): number;
}

/** murmur3's finaliser: a 32-bit value with every input bit spread over the output */
function mix32(value: number): number {
  let h = value | 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

export function createRng(seed: number, stream: number, counter: number): Rng {
  let a = mix32(seed ^ 0x9e3779b9);
  let b = mix32(a ^ Math.imul(stream + 1, 0x85ebca6b));
  let c = mix32(b ^ Math.imul(counter + 1, 0xc2b2ae35));
  let d = 1;
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return (t >>> 0) / 4294967296;
  };
  for (let i = 0; i < 12; i++) next(); // leave the seeding's correlations behind
  return { next };
}

const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const hex = '0123456789abcdef';

/** One value of a template function (uuid() is a version-4 UUID from the stream). */
export function drawRandom(fn: RandomFunction, rng: Rng): string {
  switch (fn.name) {
    case 'uuid': {
      let out = '';
      for (let i = 0; i < 32; i++) {
        let digit = Math.floor(rng.next() * 16);
        if (i === 12) digit = 4;
        else if (i === 16) digit = 8 + (digit & 3);
        out += hex[digit];
        if (i === 7 || i === 11 || i === 15 || i === 19) out += '-';
      }
      return out;
    }
    case 'randomInt':
      return String(fn.min + Math.floor(rng.next() * (fn.max - fn.min + 1)));
    case 'randomString': {
      let out = '';
      for (let i = 0; i < fn.length; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)];
      return out;
    }
    case 'randomItem':
      return fn.items[Math.floor(rng.next() * fn.items.length)] ?? '';
  }
}

/** a pause drawn uniformly from [min, max] ms */
export function drawPause(minMs: number, maxMs: number, rng: Rng | undefined): number {
  if (maxMs <= minMs) return minMs;
  return minMs + (rng ? rng.next() : Math.random()) * (maxMs - minMs);
}
