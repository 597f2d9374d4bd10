/**
 * Benchmark of the Pareto tools (not a test: it measures and prints). Non-dominated sorting of
 * random points in 2 and 3 objectives up to 100,000 points, and 3-D hypervolume up to 10,000
 * points, each beside the naive method (Deb's O(M·n²) sort; hypervolume by slicing to 2-D) and
 * the peers (DEAP's sortNondominated and sortLogNondominated, Optuna 3.1's NSGA-II sort, DEAP's C
 * hypervolume, Optuna's WFG) on the same points in the same run. Peers run in a child Python
 * process and time themselves (without process start or data transfer). Every time is CPU time
 * (see `timeMs`): on this shared machine wall time measures mostly the other jobs. The published moocore
 * figures (C, used by pymoo) are quoted for scale, not run here.
 *
 * Slow methods are run only up to the sizes they finish in reasonable time; a cell left empty was
 * not run. Environment: NASBOOK_BENCH_REPEATS (default 5) repeats of our own methods.
 */
import { median } from '../src/core/stats';
import { createRng } from '../src/core/rng';
import { hypervolume, naiveHypervolume, naiveNonDominatedSort, nonDominatedSort } from '../src/pareto';
import { findPeerPython, runPeers, type PeerTool } from './paretoPeers';

const REPEATS = Math.max(1, Number(process.env.NASBOOK_BENCH_REPEATS ?? 5));

/** moocore's published figures (C): 3-objective sort of 2,000 points ~1 ms; 3-D hypervolume of 1,000 points ~0.3 ms. */
const MOOCORE = { sort3d2000Ms: 1, hv3d1000Ms: 0.3 };

function uniform(seed: string, n: number, m: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: m }, () => rng.uniform()));
}

/** Points on the concave unit sphere's positive orthant, mirrored: all mutually non-dominated. */
function sphereFront(seed: string, n: number): number[][] {
  const rng = createRng(seed);
  return Array.from({ length: n }, () => {
    const v = [Math.abs(rng.normal()), Math.abs(rng.normal()), Math.abs(rng.normal())];
    const r = Math.hypot(...v);
    return v.map((x) => 1 - x / r);
  });
}

/**
 * Median CPU time of one call of f, in ms. This machine is shared (load averages of 15–25 on 2
 * cores were seen while this was written), so wall time mostly measures the queue; the process's
 * own CPU time (user + system) does not. Calls are batched until a batch takes >= 20 ms of CPU,
 * so the clock's granularity does not matter, and the median of `repeats` batches is reported
 * (a call of half a second or more is measured once).
 */
function timeMs(f: () => unknown, repeats: number): number {
  const cpuMs = (k: number) => {
    const c0 = process.cpuUsage();
    for (let i = 0; i < k; i++) f();
    const c = process.cpuUsage(c0);
    return (c.user + c.system) / 1000;
  };
  const first = cpuMs(1); // also the warm-up: JIT and caches
  if (first >= 500) return first; // a slow method: one call says enough, warm-up is noise against it
  const batch = Math.min(1000, Math.max(1, Math.ceil(20 / Math.max(first, 0.01))));
  const perCall: number[] = [];
  for (let r = 0; r < repeats; r++) perCall.push(cpuMs(batch) / batch);
  return median(perCall);
}

const fmt = (ms: number | undefined) => (ms === undefined ? '' : ms < 10 ? ms.toFixed(3) : ms.toFixed(1));
const ratio = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined ? '' : `${(a / b).toFixed(1)}x`);

interface Row {
  n: number;
  ours: number;
  naive?: number;
  peers: Partial<Record<PeerTool, number>>;
}

function printRows(title: string, rows: Row[], naiveName: string, peerTools: PeerTool[]): void {
  console.log(`\n${title} (median CPU ms per call; ratios are their time / ours)`);
  const head = ['n', 'nasbook', naiveName, 'speed-up', ...peerTools.flatMap((t) => [t, 'ratio'])];
  console.log(`| ${head.join(' | ')} |`);
  console.log(`|${head.map(() => '---:').join('|')}|`);
  for (const r of rows) {
    const cells = [String(r.n), fmt(r.ours), fmt(r.naive), ratio(r.naive, r.ours), ...peerTools.flatMap((t) => [fmt(r.peers[t]), ratio(r.peers[t], r.ours)])];
    console.log(`| ${cells.join(' | ')} |`);
  }
}

export async function benchPareto(): Promise<void> {
  const py = findPeerPython();
  console.log(py ? `peers: ${py.python} (deap ${py.deap ? 'yes' : 'no'}, optuna ${py.optuna ? 'yes' : 'no'})` : 'peers skipped: no python3 here imports deap or optuna');
  const peerMs = (tool: PeerTool, points: number[][], reference?: number[], repeats = 3): number | undefined => {
    if (!py || (tool.startsWith('deap') && !py.deap) || (tool.startsWith('optuna') && !py.optuna)) return undefined;
    const [answer] = runPeers(py, [{ tool, points, reference, repeats }]);
    return median(answer.cpuSeconds) * 1000;
  };

  // Sorting: which sizes each method is run at (the quadratic Python ones stop early).
  const sortPlan: Record<string, number> = { naive: 10_000, 'deap-sort': 2_000, 'deap-sort-log': 100_000, 'optuna-sort': 1_000 };
  const sortTools: PeerTool[] = ['deap-sort-log', 'deap-sort', 'optuna-sort'];
  for (const m of [2, 3]) {
    const rows: Row[] = [];
    for (const n of [1_000, 2_000, 10_000, 100_000]) {
      const pts = uniform(`pareto-bench-sort-${m}-${n}`, n, m);
      const row: Row = { n, ours: timeMs(() => nonDominatedSort(pts), REPEATS), peers: {} };
      if (n <= sortPlan.naive) row.naive = timeMs(() => naiveNonDominatedSort(pts), n > 2_000 ? 1 : 3);
      for (const tool of sortTools) if (n <= sortPlan[tool]) row.peers[tool] = peerMs(tool, pts, undefined, n > 10_000 ? 1 : 3);
      rows.push(row);
    }
    printRows(`Non-dominated sorting, ${m} objectives, uniform random points`, rows, 'naive (Deb 2002)', sortTools);
    if (m === 2) console.log(`target: 100,000 points in 2 objectives in < 500 ms; measured ${fmt(rows.at(-1)!.ours)} ms`);
    if (m === 3) console.log(`moocore (C, published): 2,000 points in ~${MOOCORE.sort3d2000Ms} ms; ours ${fmt(rows[1].ours)} ms = ${ratio(rows[1].ours, MOOCORE.sort3d2000Ms)} of it (aim: within 5x)`);
  }

  // 3-D hypervolume on a front (every point counts) and on a uniform cloud (most are dominated).
  const hvTools: PeerTool[] = ['deap-hv', 'optuna-hv'];
  for (const [name, make] of [['points on a concave front (all non-dominated)', sphereFront], ['uniform random points', (s: string, n: number) => uniform(s, n, 3)]] as const) {
    const rows: Row[] = [];
    for (const n of [200, 1_000, 10_000]) {
      const pts = make(`pareto-bench-hv-${n}`, n);
      const ref = [1.1, 1.1, 1.1];
      const row: Row = { n, ours: timeMs(() => hypervolume(pts, ref), REPEATS), naive: timeMs(() => naiveHypervolume(pts, ref), 1), peers: {} };
      row.peers['deap-hv'] = peerMs('deap-hv', pts, ref);
      if (n <= 200) row.peers['optuna-hv'] = peerMs('optuna-hv', pts, ref, 1); // WFG in Python: minutes at 1,000
      rows.push(row);
    }
    printRows(`3-D hypervolume, ${name}`, rows, 'naive (slicing to 2-D)', hvTools);
    console.log(`moocore (C, published): 1,000 points in ~${MOOCORE.hv3d1000Ms} ms; ours ${fmt(rows[1].ours)} ms = ${ratio(rows[1].ours, MOOCORE.hv3d1000Ms)} of it (aim: within 5x)`);
  }
}
