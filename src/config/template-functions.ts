// The functions a template may call, checked when the profile loads: `uuid()`,
// `randomInt(a, b)`, `randomString(n)`, `randomItem(a, b, ...)`, `timestamp()`. A call becomes
// one template part; the engine draws its values from the run's seeded random stream.

import { didYouMeanHint } from './did-you-mean.js';
import type { TemplatePart } from './types.js';

export const templateFunctions = ['uuid', 'randomInt', 'randomString', 'randomItem', 'timestamp'] as const;

const MAX_STRING = 65_536;

export type CallCheck = { ok: true; part: TemplatePart } | { ok: false; message: string; hint?: string };

/** `name(args)` as written (args without quotes) -> its part, or why it cannot be called so */
export function checkCall(name: string, args: readonly string[]): CallCheck {
  const written = `${name}(${args.join(', ')})`;
  const fail = (message: string, hint?: string): CallCheck => ({ ok: false, message: `{{ ${written} }}: ${message}`, ...(hint ? { hint } : {}) });
  const none = (part: TemplatePart): CallCheck => (args.length === 0 ? { ok: true, part } : fail(`${name}() takes no arguments`, `write {{ ${name}() }}`));
  switch (name) {
    case 'uuid':
      return none({ kind: 'random', fn: { name: 'uuid' } });
    case 'timestamp':
      return none({ kind: 'timestamp' });
    case 'randomInt': {
      const [min, max] = args.map(Number);
      if (args.length !== 2 || !Number.isSafeInteger(min) || !Number.isSafeInteger(max)) {
        return fail('randomInt takes two whole numbers', 'e.g. {{ randomInt(1, 100) }} for 1 to 100, both included');
      }
      if (min! > max!) return fail(`the range runs backwards`, `write {{ randomInt(${max}, ${min}) }}`);
      return { ok: true, part: { kind: 'random', fn: { name: 'randomInt', min: min!, max: max! } } };
    }
    case 'randomString': {
      const length = Number(args[0]);
      if (args.length !== 1 || !Number.isInteger(length) || length < 1 || length > MAX_STRING) {
        return fail(`randomString takes one length from 1 to ${MAX_STRING}`, 'e.g. {{ randomString(12) }} for 12 letters and digits');
      }
      return { ok: true, part: { kind: 'random', fn: { name: 'randomString', length } } };
    }
    case 'randomItem':
      if (args.length === 0) return fail('randomItem needs at least one item', 'e.g. {{ randomItem(red, green, blue) }}');
      return { ok: true, part: { kind: 'random', fn: { name: 'randomItem', items: [...args] } } };
    default:
      return { ok: false, message: `{{ ${written} }}: there is no template function "${name}"`, hint: didYouMeanHint(name, templateFunctions, '"') ?? `the functions are ${templateFunctions.map((fn) => `${fn}()`).join(', ')}` };
  }
}
