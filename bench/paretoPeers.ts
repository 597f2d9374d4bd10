/**
 * DEAP and Optuna as peers of nasbook's Pareto tools, run as a child Python process
 * (`bench/pareto_peers.py`), never as dependencies. The bench times them beside ours; the peer
 * test checks that they find the same fronts and hypervolumes. Every objective is minimised on
 * the wire: callers convert first.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/core/paths';

export type PeerTool = 'deap-sort' | 'deap-sort-log' | 'optuna-sort' | 'deap-hv' | 'optuna-hv';

/** A Python that can import the peers, and which of them. */
export interface PeerPython {
  python: string;
  deap: boolean;
  optuna: boolean;
}

/** The first python3 (on the PATH, then Debian's) that imports DEAP or Optuna; null if none does. */
export function findPeerPython(): PeerPython | null {
  for (const python of ['python3', '/usr/bin/python3']) {
    const can = (mod: string) => spawnSync(python, ['-c', `import ${mod}`], { encoding: 'utf8' }).status === 0;
    const found = { python, deap: can('deap'), optuna: can('optuna') };
    if (found.deap || found.optuna) return found;
  }
  return null;
}

/** What a peer answered: fronts (row indices ascending) or a volume, and the wall and CPU seconds of each repeat. */
export interface PeerAnswer<R> {
  version: string;
  result: R;
  seconds: number[];
  cpuSeconds: number[];
}

/** One request to a peer. */
export interface PeerRequest {
  tool: PeerTool;
  points: readonly (readonly number[])[];
  /** The reference point (hypervolume tools). */
  reference?: readonly number[];
  repeats?: number;
}

/**
 * Runs peer tools on points, all requests in one Python process (its imports paid once), and
 * returns their answers in order. Timings are measured inside Python, without the process start
 * and the JSON transfer.
 * @throws Error with the peer's stderr when it fails or exceeds `timeoutMs`
 */
export function runPeers(py: PeerPython, requests: readonly PeerRequest[], opts: { timeoutMs?: number } = {}): PeerAnswer<number[][] | number>[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-pareto-'));
  try {
    const file = path.join(dir, 'request.json');
    fs.writeFileSync(file, JSON.stringify(requests.map((r) => ({ ...r, repeats: r.repeats ?? 1 }))));
    const script = path.join(packageRoot(), 'bench', 'pareto_peers.py');
    const r = spawnSync(py.python, [script, file], { encoding: 'utf8', timeout: opts.timeoutMs ?? 600_000, maxBuffer: 1 << 28, env: { ...process.env, OMP_NUM_THREADS: '1' } });
    if (r.status !== 0) throw new Error(`pareto peers failed (status ${r.status}${r.signal ? `, ${r.signal}` : ''}): ${r.stderr.slice(-2000)}`);
    return r.stdout.trim().split('\n').map((line) => JSON.parse(line) as PeerAnswer<number[][] | number>);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
