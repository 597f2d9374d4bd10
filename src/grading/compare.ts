/**
 * Does a result match what was expected? Deep comparison of JSON-like values with a tolerance
 * for numbers, returning the first difference as a sentence a student can act on.
 */
import { describe } from '../core/checks';

export type Comparison = { ok: true } | { ok: false; reason: string };

function numbersMatch(expected: number, actual: number, tolerance: number): boolean {
  if (Number.isNaN(expected) || Number.isNaN(actual)) return Number.isNaN(expected) && Number.isNaN(actual);
  if (tolerance === 0) return Object.is(expected + 0, actual + 0); // -0 and 0 count as equal
  return Math.abs(actual - expected) <= tolerance * Math.max(1, Math.abs(expected));
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'array';
  return typeof v;
}

function walk(expected: unknown, actual: unknown, tolerance: number, at: string): Comparison {
  const where = at === '' ? '' : ` at ${at}`;
  const ke = kindOf(expected);
  const ka = kindOf(actual);
  if (ke !== ka) return { ok: false, reason: `expected ${ke === 'array' ? 'an array' : `a ${ke}`}${where}, got ${describe(actual)}` };
  if (ke === 'number') {
    return numbersMatch(expected as number, actual as number, tolerance)
      ? { ok: true }
      : { ok: false, reason: `expected ${describe(expected)}${where}, got ${describe(actual)}${tolerance > 0 ? ` (tolerance ${tolerance})` : ''}` };
  }
  if (ke === 'array') {
    const e = expected as unknown[];
    const a = actual as unknown[];
    if (e.length !== a.length) return { ok: false, reason: `expected an array of length ${e.length}${where}, got length ${a.length}` };
    for (let i = 0; i < e.length; i++) {
      const c = walk(e[i], a[i], tolerance, `${at}[${i}]`);
      if (!c.ok) return c;
    }
    return { ok: true };
  }
  if (ke === 'object') {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
    for (const key of Object.keys(e)) {
      if (!own(a, key)) return { ok: false, reason: `missing property '${key}'${where}` };
      const c = walk(e[key], a[key], tolerance, at === '' ? key : `${at}.${key}`);
      if (!c.ok) return c;
    }
    const extra = Object.getOwnPropertyNames(a).filter((k) => !own(e, k));
    if (extra.length) return { ok: false, reason: `unexpected propert${extra.length === 1 ? 'y' : 'ies'} ${extra.map((k) => `'${k}'`).join(', ')}${where}` };
    return { ok: true };
  }
  return Object.is(expected, actual) ? { ok: true } : { ok: false, reason: `expected ${describe(expected)}${where}, got ${describe(actual)}` };
}

/**
 * Compare a result with the expected value.
 * @param tolerance numbers match when |actual - expected| <= tolerance * max(1, |expected|); 0 = exact
 * @example compareResult({ n: 3 }, { n: 4 }, 0) // { ok: false, reason: "expected 3 at n, got 4" }
 */
export function compareResult(expected: unknown, actual: unknown, tolerance = 0): Comparison {
  return walk(expected, actual, tolerance, '');
}
