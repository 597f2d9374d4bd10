/**
 * nasbook's sorting and hypervolume against DEAP and Optuna on the same points, run as child
 * Python processes. Skipped, loudly, where neither is installed (Debian: python3-deap, python3-optuna).
 */
import { describe, expect, it } from 'vitest';
import { createRng } from '../../src/core/rng';
import { hypervolume, nonDominatedSort } from '../../src/pareto';
import { findPeerPython, runPeers, type PeerRequest, type PeerTool } from '../../bench/paretoPeers';

const py = findPeerPython();
if (!py) console.warn('\n*** SKIPPED: the Pareto peer comparison (no python3 here imports deap or optuna; apt-get install python3-deap python3-optuna) ***\n');

/** Integer points (many ties and duplicates) or continuous ones. */
function points(seed: string, n: number, m: number, integer: boolean): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => (integer ? rng.int(0, 10) : rng.uniform())));
}

const cases = [2, 3, 4].flatMap((m) => [true, false].map((integer) => ({ m, integer })));

describe.skipIf(!py)('peers: DEAP and Optuna find what nasbook finds', () => {
  const sorters: PeerTool[] = [...(py?.deap ? (['deap-sort', 'deap-sort-log'] as const) : []), ...(py?.optuna ? (['optuna-sort'] as const) : [])];
  const volumes: PeerTool[] = [...(py?.deap ? (['deap-hv'] as const) : []), ...(py?.optuna ? (['optuna-hv'] as const) : [])];

  it.each(sorters)('%s: the same fronts in 2, 3 and 4 objectives, ties and duplicates included', (tool) => {
    const sets = cases.map(({ m, integer }) => points(`peer-sort-${m}-${integer}`, tool === 'optuna-sort' ? 150 : 300, m, integer));
    const answers = runPeers(py!, sets.map((pts): PeerRequest => ({ tool, points: pts })));
    sets.forEach((pts, k) => expect(nonDominatedSort(pts)).toEqual(answers[k].result));
  });

  it.each(volumes)('%s: the same hypervolume in 2, 3 and 4 objectives', (tool) => {
    const sets = cases.map(({ m, integer }) => ({
      pts: points(`peer-hv-${m}-${integer}`, tool === 'optuna-hv' ? (m === 4 ? 25 : 60) : 200, m, integer),
      ref: Array.from({ length: m }, () => (integer ? 11 : 1.1)),
    }));
    const answers = runPeers(py!, sets.map((s): PeerRequest => ({ tool, points: s.pts, reference: s.ref })));
    sets.forEach((s, k) => expect(hypervolume(s.pts, s.ref)).toBeCloseTo(answers[k].result as number, 9));
  });
});
