/**
 * Input checks for the public boundary. Every check throws an Error whose message names the
 * caller, the argument and what was expected, in one format:
 *
 *   RegularizedEvolution: 'populationSize' must be an integer >= 2, got 1
 *
 * Type mistakes throw TypeError, values out of range throw RangeError. Checks return the value
 * (narrowed) so they can be used inline.
 */

/** Bounds for numeric checks; both ends inclusive unless `exclusiveMin`/`exclusiveMax` is set. */
export interface Bounds {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
}

/** A short, readable rendering of any value for error messages (never throws, whatever the value). */
export function describe(value: unknown, depth = 0): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 200 ? `${value.slice(0, 197)}...` : value);
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value === null || value === undefined) return String(value);
  if (typeof value === 'symbol') return 'a symbol';
  if (Array.isArray(value)) {
    if (depth >= 3) return `an array of length ${value.length}`;
    return value.length > 6 ? `an array of length ${value.length}` : `[${value.map((v) => describe(v, depth + 1)).join(', ')}]`;
  }
  if (typeof value === 'function') return 'a function';
  try {
    const text = JSON.stringify(value);
    return text.length > 80 ? `${text.slice(0, 77)}...` : text;
  } catch {
    return 'an object';
  }
}

function prefix(caller: string | undefined, name: string): string {
  return `${caller ? `${caller}: ` : ''}'${name}'`;
}

function boundsText(b: Bounds): string {
  const parts: string[] = [];
  if (b.min !== undefined) parts.push(`${b.exclusiveMin ? '>' : '>='} ${b.min}`);
  if (b.max !== undefined) parts.push(`${b.exclusiveMax ? '<' : '<='} ${b.max}`);
  return parts.length ? ` ${parts.join(' and ')}` : '';
}

function inBounds(x: number, b: Bounds): boolean {
  if (b.min !== undefined && (b.exclusiveMin ? x <= b.min : x < b.min)) return false;
  if (b.max !== undefined && (b.exclusiveMax ? x >= b.max : x > b.max)) return false;
  return true;
}

/** A finite number within `bounds`. */
export function checkNumber(name: string, value: unknown, bounds: Bounds = {}, caller?: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new TypeError(`${prefix(caller, name)} must be a finite number${boundsText(bounds)}, got ${describe(value)}`);
  }
  if (!inBounds(value, bounds)) {
    throw new RangeError(`${prefix(caller, name)} must be a number${boundsText(bounds)}, got ${describe(value)}`);
  }
  return value;
}

/** A safe integer within `bounds`. */
export function checkInt(name: string, value: unknown, bounds: Bounds = {}, caller?: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new TypeError(`${prefix(caller, name)} must be an integer${boundsText(bounds)}, got ${describe(value)}`);
  }
  if (!inBounds(value, bounds)) {
    throw new RangeError(`${prefix(caller, name)} must be an integer${boundsText(bounds)}, got ${describe(value)}`);
  }
  return value;
}

/** A probability in [0, 1]. */
export function checkProbability(name: string, value: unknown, caller?: string): number {
  return checkNumber(name, value, { min: 0, max: 1 }, caller);
}

/** An array with at least `minLength` items (default 0). */
export function checkArray<T = unknown>(
  name: string,
  value: unknown,
  opts: { minLength?: number; length?: number } = {},
  caller?: string,
): T[] {
  if (!Array.isArray(value)) {
    throw new TypeError(`${prefix(caller, name)} must be an array, got ${describe(value)}`);
  }
  if (opts.length !== undefined && value.length !== opts.length) {
    throw new RangeError(`${prefix(caller, name)} must have length ${opts.length}, got length ${value.length}`);
  }
  const min = opts.minLength ?? 0;
  if (value.length < min) {
    throw new RangeError(
      `${prefix(caller, name)} must have at least ${min} item${min === 1 ? '' : 's'}, got ${value.length === 0 ? 'an empty array' : `length ${value.length}`}`,
    );
  }
  return value as T[];
}

/** An array of finite numbers with at least `minLength` items. */
export function checkNumbers(name: string, value: unknown, opts: { minLength?: number } = {}, caller?: string): number[] {
  const arr = checkArray<unknown>(name, value, opts, caller);
  for (let i = 0; i < arr.length; i++) {
    const x = arr[i];
    if (typeof x !== 'number' || !Number.isFinite(x)) {
      throw new TypeError(`${prefix(caller, name)} must hold only finite numbers, got ${describe(x)} at index ${i}`);
    }
  }
  return arr as number[];
}

/** Two arrays of the same length. */
export function checkSameLength(nameA: string, a: readonly unknown[], nameB: string, b: readonly unknown[], caller?: string): void {
  if (a.length !== b.length) {
    throw new RangeError(
      `${caller ? `${caller}: ` : ''}'${nameA}' and '${nameB}' must have the same length, got ${a.length} and ${b.length}`,
    );
  }
}

/** One of a fixed list of allowed values. */
export function checkOneOf<T>(name: string, value: unknown, allowed: readonly T[], caller?: string): T {
  if (!allowed.includes(value as T)) {
    throw new RangeError(`${prefix(caller, name)} must be one of ${allowed.map(describe).join(', ')}, got ${describe(value)}`);
  }
  return value as T;
}

/** A non-empty string. */
export function checkString(name: string, value: unknown, caller?: string): string {
  if (typeof value !== 'string' || value.length === 0) {
    throw new TypeError(`${prefix(caller, name)} must be a non-empty string, got ${describe(value)}`);
  }
  return value;
}

/** A function. */
export function checkFunction<F extends (...args: never[]) => unknown>(name: string, value: unknown, caller?: string): F {
  if (typeof value !== 'function') {
    throw new TypeError(`${prefix(caller, name)} must be a function, got ${describe(value)}`);
  }
  return value as F;
}
