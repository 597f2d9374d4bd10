/**
 * The wire format between the trusted parent and the process that runs a student's code.
 * JSON cannot carry NaN, Infinity, -0, undefined or bigint, and a student's wrong answer may be
 * any of these: they travel as tagged objects so the parent can say exactly what came back
 * instead of turning it into `null`.
 *
 * Both directions are written for hostile values: the encoder runs after student code and uses
 * only built-ins it captured when this module loaded (before any student code), builds a fresh
 * tree of plain data, and strips a `toJSON` planted on the shared prototypes before stringifying
 * it; both sides refuse nesting deeper than `MAX_DEPTH`, so no value can overflow a stack.
 */

export type Tagged =
  | { $nasbook: 'number'; value: 'NaN' | 'Infinity' | '-Infinity' }
  | { $nasbook: 'undefined' }
  | { $nasbook: 'bigint'; value: string }
  | { $nasbook: 'function'; name: string };

/** Deeper results are refused: no exercise returns anything close. */
export const MAX_DEPTH = 64;

// Captured at load time, before any student code runs in the child.
const stringify = JSON.stringify;
const parse = JSON.parse;
const isArray = Array.isArray;
const isView = ArrayBuffer.isView;
const ownKeys = Object.keys;
const defineProperty = Object.defineProperty;
const hasOwn = Object.prototype.hasOwnProperty;
const MapClass = Map;
const SetClass = Set;
const DataViewClass = DataView;
const ObjectPrototype = Object.prototype;
const ArrayPrototype = Array.prototype;
const toStringPrimitive = String;
const mapEntries = Map.prototype.entries;
const setValues = Set.prototype.values;

function isTagged(value: unknown): value is Tagged {
  return typeof value === 'object' && value !== null && typeof (value as { $nasbook?: unknown }).$nasbook === 'string';
}

/** Set an own data property, even one named `__proto__` (an assignment would set the prototype). */
function put(obj: Record<string, unknown>, key: string, value: unknown): void {
  defineProperty(obj, key, { value, enumerable: true, writable: true, configurable: true });
}

/** Remove a `toJSON` student code planted on a shared prototype; false if it cannot be removed. */
function clearToJson(proto: object): boolean {
  if (!hasOwn.call(proto, 'toJSON')) return true;
  return Reflect.deleteProperty(proto, 'toJSON');
}

/**
 * A JSON text of `value` that keeps non-JSON values visible. Throws on a circular structure,
 * nesting deeper than MAX_DEPTH, or a text longer than `maxChars`.
 */
export function encodeValue(value: unknown, maxChars = 1_000_000): string {
  const seen = new SetClass<object>();
  let size = 0;
  const tag = (v: unknown, depth: number): unknown => {
    if (++size > maxChars) throw new RangeError(`the result is too large (more than ${maxChars} values)`);
    if (typeof v === 'number') {
      if (v !== v) return { $nasbook: 'number', value: 'NaN' };
      if (v === Infinity) return { $nasbook: 'number', value: 'Infinity' };
      if (v === -Infinity) return { $nasbook: 'number', value: '-Infinity' };
      return v;
    }
    if (v === undefined) return { $nasbook: 'undefined' };
    if (typeof v === 'bigint') return { $nasbook: 'bigint', value: toStringPrimitive(v) };
    if (typeof v === 'function') return { $nasbook: 'function', name: typeof v.name === 'string' ? v.name : '' };
    if (typeof v === 'symbol') return 'a symbol';
    if (typeof v !== 'object' || v === null) return v;
    if (depth >= MAX_DEPTH) throw new RangeError(`the result is nested more than ${MAX_DEPTH} levels deep`);
    if (seen.has(v)) throw new TypeError('the result is a circular structure');
    seen.add(v);
    // Index assignment, not push(): Array.prototype.push may have been replaced.
    const out: unknown[] = [];
    if (isArray(v)) {
      for (let i = 0; i < v.length; i++) out[i] = tag(v[i], depth + 1);
    } else if (isView(v) && !(v instanceof DataViewClass)) {
      const view = v as unknown as ArrayLike<unknown>;
      for (let i = 0; i < view.length; i++) out[i] = tag(view[i], depth + 1);
    } else if (v instanceof SetClass) {
      let i = 0;
      for (const x of setValues.call(v)) out[i++] = tag(x, depth + 1);
    } else {
      const obj: Record<string, unknown> = {};
      if (v instanceof MapClass) {
        for (const [k, x] of mapEntries.call(v)) put(obj, toStringPrimitive(k), tag(x, depth + 1));
      } else {
        for (const k of ownKeys(v)) put(obj, k, tag((v as Record<string, unknown>)[k], depth + 1));
      }
      seen.delete(v);
      return obj;
    }
    seen.delete(v);
    return out;
  };
  const tree = tag(value, 0);
  // The tree is ours; only a toJSON on a shared prototype could still change its text.
  if (!clearToJson(ObjectPrototype) || !clearToJson(ArrayPrototype)) throw new TypeError('Object.prototype.toJSON or Array.prototype.toJSON was made permanent');
  const text = stringify(tree);
  if (text.length > maxChars) throw new RangeError(`the result is too large (${text.length} characters, limit ${maxChars})`);
  return text;
}

/** The deepest nesting of arrays and objects in a JSON text, found without recursion. */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92) i++; // backslash: skip the escaped character
      else if (c === 34) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 91 || c === 123) max = Math.max(max, ++depth);
    else if (c === 93 || c === 125) depth--;
  }
  return max;
}

/**
 * The inverse of `encodeValue`: tagged objects become the values they stand for.
 * @throws RangeError if the text nests deeper than MAX_DEPTH (+1 for the tags)
 */
export function decodeValue(text: string): unknown {
  if (jsonDepth(text) > MAX_DEPTH + 1) throw new RangeError(`the result is nested more than ${MAX_DEPTH} levels deep`);
  // JSON.parse makes own data properties, so a `__proto__` key stays a key (and fails the comparison).
  return parse(text, (_key, v: unknown) => {
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
