/**
 * The wire format between the trusted parent and the process that runs a student's code.
 * JSON cannot carry NaN, Infinity, -0, undefined or bigint, and a student's wrong answer may be
 * any of these: they travel as tagged objects so the parent can say exactly what came back
 * instead of turning it into `null`.
 */

export type Tagged =
  | { $nasbook: 'number'; value: 'NaN' | 'Infinity' | '-Infinity' }
  | { $nasbook: 'undefined' }
  | { $nasbook: 'bigint'; value: string }
  | { $nasbook: 'function'; name: string };

function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && typeof (value as { $nasbook?: unknown }).$nasbook === 'string';
}

/**
 * A JSON text of `value` that keeps non-JSON values visible. Throws on a circular structure or
 * when the text would exceed `maxChars`.
 */
export function encodeValue(value: unknown, maxChars = 1_000_000): string {
  const seen = new Set<object>();
  const tag = (v: unknown): unknown => {
    if (typeof v === 'number') {
      if (Number.isNaN(v)) return { $nasbook: 'number', value: 'NaN' };
      if (v === Infinity) return { $nasbook: 'number', value: 'Infinity' };
      if (v === -Infinity) return { $nasbook: 'number', value: '-Infinity' };
      return v;
    }
    if (v === undefined) return { $nasbook: 'undefined' };
    if (typeof v === 'bigint') return { $nasbook: 'bigint', value: v.toString() };
    if (typeof v === 'function') return { $nasbook: 'function', name: v.name };
    if (typeof v === 'symbol') return String(v);
    if (typeof v !== 'object' || v === null) return v;
    if (seen.has(v)) throw new TypeError('the result is a circular structure');
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v)) out = v.map(tag);
    else if (ArrayBuffer.isView(v) && !(v instanceof DataView)) out = Array.from(v as unknown as ArrayLike<number>, tag);
    else if (v instanceof Map) out = Object.fromEntries([...v.entries()].map(([k, x]) => [String(k), tag(x)]));
    else if (v instanceof Set) out = [...v].map(tag);
    else out = Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x)]));
    seen.delete(v);
    return out;
  };
  const text = JSON.stringify(tag(value));
  if (text.length > maxChars) throw new RangeError(`the result is too large (${text.length} characters, limit ${maxChars})`);
  return text;
}

/** The inverse of `encodeValue`: tagged objects become the values they stand for. */
export function decodeValue(text: string): unknown {
  return JSON.parse(text, (_key, v: unknown) => {
    if (!isTagged(v)) return v;
    switch (v.$nasbook) {
      case 'number':
        return Number(v.value);
      case 'undefined':
        return undefined;
      case 'bigint':
        return BigInt(v.value);
      case 'function':
        return v; // shown as a tag: a function is never a right answer
    }
  });
}
