/**
 * NAS-Bench-201's cell space as a search space: every strategy (sampling, moves, enumeration,
 * genes) runs on it, with or without merging cells that compute the same function.
 */
import { checkOneOf, describe } from '../core/checks';
import type { Rng } from '../core/rng';
import {
  NB201_OPS,
  canonicalNb201Cell,
  nb201FromIndex,
  nb201Index,
  nb201Neighbours,
  nb201UniqueCells,
  nb201Cell,
  sampleNb201Cell,
  NB201_SIZE,
  type Nb201Cell,
} from './nb201';
import type { CategoricalSpace, GeneSpace } from './types';

/** Options of {@link nb201Space}. */
export interface Nb201SpaceOptions {
  /**
   * 'none' (default): all 15625 cells are distinct points, as NAS-Bench-201 lists them.
   * 'canonical': cells computing the same function are one point (4930), represented by
   * `canonicalNb201Cell`, so a strategy never spends an evaluation on a duplicate.
   */
  dedupe?: 'none' | 'canonical';
}

/**
 * NAS-Bench-201's cell space for the search strategies: uniform sampling, one-edge neighbours,
 * keys by index, and each cell encoded as its 6 operation indices.
 * @param opts `{ dedupe: 'none' | 'canonical' }` (default 'none')
 * @throws RangeError for an unknown dedupe
 * @example nb201Space().candidates().length // 15625
 */
export function nb201Space(opts: Nb201SpaceOptions = {}): CategoricalSpace<Nb201Cell> & GeneSpace<Nb201Cell> {
  const caller = 'nb201Space';
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const dedupe = checkOneOf('opts.dedupe', opts.dedupe ?? 'none', ['none', 'canonical'] as const, caller);
  const canonical = dedupe === 'canonical';
  const norm = (c: Nb201Cell): Nb201Cell => (canonical ? canonicalNb201Cell(c) : c);
  return {
    sample: (rng: Rng) => norm(sampleNb201Cell(rng)),
    neighbours: (cell: Nb201Cell) => {
      if (!canonical) return nb201Neighbours(cell);
      // Several neighbours may fall into one class, and some into the cell's own class.
      const own = nb201Index(canonicalNb201Cell(cell));
      const seen = new Set<number>([own]);
      const out: Nb201Cell[] = [];
      for (const n of nb201Neighbours(cell)) {
        const c = canonicalNb201Cell(n);
        const i = nb201Index(c);
        if (!seen.has(i)) {
          seen.add(i);
          out.push(c);
        }
      }
      return out;
    },
    key: (cell: Nb201Cell) => String(nb201Index(norm(cell))),
    candidates: () => (canonical ? nb201UniqueCells() : Array.from({ length: NB201_SIZE }, (_, i) => nb201FromIndex(i))),
    encode: (cell: Nb201Cell) => cell.ops.map((op) => NB201_OPS.indexOf(op)),
    cardinalities: () => cellGenes.slice(),
    decode: (genes: readonly number[]) => {
      if (genes.length !== cellGenes.length || genes.some((g) => !Number.isInteger(g) || g < 0 || g >= NB201_OPS.length)) {
        throw new RangeError(`nb201Space.decode: 'genes' must be ${cellGenes.length} integers in 0..${NB201_OPS.length - 1}, got ${describe(genes)}`);
      }
      return norm(nb201Cell(genes.map((g) => NB201_OPS[g])));
    },
  };
}

const cellGenes: readonly number[] = Array.from({ length: 6 }, () => NB201_OPS.length);
