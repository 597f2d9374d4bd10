/**
 * A space cut down to the architectures a predicate keeps (a partial benchmark table).
 */
import { describe } from '../core/checks';
import type { Rng } from '../core/rng';
import type { CategoricalSpace, SpaceArch } from './types';

/**
 * A categorical space cut down to the architectures `keep` accepts: sampling draws among them,
 * neighbours and candidates leave the others out. For a table that holds part of a space (a
 * sample build of NAS-Bench-Digits), so a search never asks for a cell without a row. `decode`
 * can still produce any point of the full space; `contains` tells which remain, and the genetic
 * algorithm breeds again when a child falls outside.
 * @param space the full space
 * @param keep which architectures remain
 * @throws TypeError for a space that cannot list its candidates; RangeError when none remain
 * @example restrictSpace(nb201Space({ dedupe: 'canonical' }), (c) => bench.has(c))
 */
export function restrictSpace<S extends CategoricalSpace<unknown>>(space: S, keep: (arch: SpaceArch<S>) => boolean): S {
  const caller = 'restrictSpace';
  if (typeof space !== 'object' || space === null || typeof space.candidates !== 'function') {
    throw new TypeError(`${caller}: 'space' must be a categorical space (with candidates()), got ${describe(space)}`);
  }
  if (typeof keep !== 'function') throw new TypeError(`${caller}: 'keep' must be a function, got ${describe(keep)}`);
  const keeps = keep as (arch: unknown) => boolean;
  const kept = space.candidates().filter(keeps);
  if (kept.length === 0) throw new RangeError(`${caller}: 'keep' rejects every architecture of the space`);
  return {
    ...space,
    sample: (rng: Rng) => rng.choice(kept),
    neighbours: (arch: SpaceArch<S>) => space.neighbours(arch).filter(keeps),
    candidates: () => kept.slice(),
    contains: (arch: SpaceArch<S>) => (space.contains?.(arch) ?? true) && keeps(arch),
  };
}
