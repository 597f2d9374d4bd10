/**
 * Tables as danfojs DataFrames, the pandas of JavaScript, for the notebooks' tables a student may
 * want to sort, filter or group further. danfojs-node takes seconds to load and brings its own
 * tfjs import, so it is loaded on the first call here and nowhere else in nasbook.
 */
import type * as Danfo from 'danfojs-node';
import { checkArray, describe } from '../core/checks';
import { lazyModule } from '../core/lazy';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const danfo = lazyModule((): typeof Danfo => require('danfojs-node'));

/**
 * A danfojs DataFrame of plain rows (one object per row, the same keys in each). `showTable`
 * displays it like rows.
 * @param rows at least one row
 * @throws TypeError if `rows` is not an array of objects; RangeError if it is empty
 * @example dataFrame([{ op: 'conv3x3', a: 1.2 }, { op: 'skip', a: 0 }]).columns // ['op', 'a']
 */
export function dataFrame(rows: Record<string, unknown>[]): Danfo.DataFrame {
  const caller = 'dataFrame';
  checkArray<unknown>('rows', rows, { minLength: 1 }, caller).forEach((r, i) => {
    if (typeof r !== 'object' || r === null || Array.isArray(r)) throw new TypeError(`${caller}: 'rows[${i}]' must be an object, got ${describe(r)}`);
  });
  return new danfo.DataFrame(rows);
}
