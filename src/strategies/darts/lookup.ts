/**
 * Where a derived cell stands in the tables: its accuracy, its rank among all cells, its percentile.
 * NAS-Bench-Digits is ranked by test accuracy (the search used the validation split) over its
 * 4930 distinct cells; NAS-Bench-201 by CIFAR-10 test accuracy over its 15,625 cells.
 */
import { countAbove, countAtLeast } from '../../core/descending';
import { describe } from '../../core/checks';
import type { DigitsBench } from '../../benchmarks/digits/table';
import type { NasBench201 } from '../../benchmarks/nasbench201';
import { checkNb201Cell, formatNb201Cell, type Nb201Cell } from '../../spaces/nb201';

/** One table's verdict on a cell. */
export interface TableStanding {
  /** Accuracy in [0, 1]. */
  accuracy: number;
  /** 1 + the number of cells with a strictly higher accuracy. */
  rank: number;
  /** Cells ranked. */
  of: number;
  /** Percentage of cells with a strictly lower accuracy. */
  percentile: number;
}

/** A cell's standing in both tables. */
export interface CellStanding {
  cell: string;
  digits: TableStanding;
  nb201: TableStanding;
}

/** Ranks cells in both tables; build once (it reads every row), call per cell. */
export type CellRanker = (cell: Nb201Cell) => CellStanding;

function standing(sortedDesc: Float64Array, accuracy: number): TableStanding {
  const above = countAbove(sortedDesc, accuracy);
  const below = sortedDesc.length - countAtLeast(sortedDesc, accuracy);
  return { accuracy, rank: above + 1, of: sortedDesc.length, percentile: (100 * below) / sortedDesc.length };
}

const descending = (xs: number[]) => Float64Array.from(xs).sort().reverse();

/**
 * A ranker over NAS-Bench-Digits (test accuracy, primary seed) and NAS-Bench-201 (CIFAR-10 test).
 * @param digits a loaded NAS-Bench-Digits table (loadBench())
 * @param nb201 a loaded NAS-Bench-201 table (loadNasBench201())
 * @throws TypeError if either table is not a loaded table; the ranker throws for an invalid cell
 * @example const rank = cellRanker(loadBench(), loadNasBench201()); rank(cell).nb201.rank // 1..15625
 */
export function cellRanker(digits: DigitsBench, nb201: NasBench201): CellRanker {
  const caller = 'cellRanker';
  if (typeof digits?.record !== 'function' || typeof digits?.cells !== 'function') throw new TypeError(`${caller}: 'digits' must be a loaded NAS-Bench-Digits table (loadBench()), got ${describe(digits)}`);
  if (typeof nb201?.query !== 'function' || typeof nb201?.cells !== 'function') throw new TypeError(`${caller}: 'nb201' must be a loaded NAS-Bench-201 table (loadNasBench201()), got ${describe(nb201)}`);
  const digitsTest = (cell: string | Nb201Cell) => {
    const r = digits.record(cell);
    if (!r) throw new RangeError(`${caller}: cell ${typeof cell === 'string' ? cell : formatNb201Cell(cell)} is not in the NAS-Bench-Digits table`);
    return r.testAccuracy;
  };
  const nbTest = (cell: Nb201Cell) => nb201.query(cell, { dataset: 'cifar10', split: 'test' }) / 100;
  const digitsSorted = descending(digits.cells().map(digitsTest));
  const nbSorted = descending([...nb201.cells()].map(nbTest));
  return (cell) => {
    const c = checkNb201Cell(cell, 'cellRanker(cell)');
    return { cell: formatNb201Cell(c), digits: standing(digitsSorted, digitsTest(c)), nb201: standing(nbSorted, nbTest(c)) };
  };
}
