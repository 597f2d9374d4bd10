/**
 * Adversarial submission 'spawn-process' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks tries to start a process (`touch <marker>`) with child_process obtained around the
 * import screen (require.main.require, Module._load, process.getBuiltinModule): spawnSync, execSync, spawn,
 * fork, and a worker thread. Expected: every start is refused; countTasks's cases are errors; no marker exists.
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as fs from 'fs';
import * as path from 'path';

/** Where this attack may leave traces (written beside this file by the test), with defaults. */
function attackConfig(): { markerDir: string; port: number } {
  try {
    return JSON.parse(fs.readFileSync(path.join(__dirname, 'attack.json'), 'utf8')) as { markerDir: string; port: number };
  } catch {
    return { markerDir: '/tmp', port: 47651 };
  }
}

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
type ChildProcessModule = typeof import('child_process');

/** The attack: run a command; answer only if one started. */
export async function countTasks(xSize: number, ySize: number): Promise<number> {
  const marker = path.join(attackConfig().markerDir, 'spawn-marker.txt');
  const failures: string[] = [];
  const loaders: [string, () => unknown][] = [
    ['require.main.require', () => require.main!.require('child_process')],
    ['Module._load', () => (module.constructor as unknown as { _load(r: string, p: null, m: boolean): unknown })._load('child_process', null, false)],
    ['process.getBuiltinModule', () => (process as unknown as { getBuiltinModule(n: string): unknown }).getBuiltinModule('child_process')],
  ];
  for (const [how, load] of loaders) {
    let cp: ChildProcessModule;
    try {
      cp = load() as ChildProcessModule;
    } catch (e) {
      failures.push(`${how}: ${messageOf(e)}`);
      continue;
    }
    const starts: [string, () => unknown][] = [
      ['spawnSync', () => {
        const r = cp.spawnSync('touch', [marker]);
        if (r.error) throw r.error;
      }],
      ['execSync', () => cp.execSync(`touch '${marker}'`)],
      ['fork', () => cp.fork('-e', [], { execArgv: [] })],
    ];
    for (const [what, start] of starts) {
      try {
        start();
        return ySize ** xSize;
      } catch (e) {
        failures.push(`${how} ${what}: ${messageOf(e)}`);
      }
    }
    try {
      await new Promise<void>((resolve, reject) => {
        const child = cp.spawn('touch', [marker]);
        child.on('error', reject);
        child.on('exit', () => resolve());
      });
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how} spawn: ${messageOf(e)}`);
    }
  }
  try {
    const threads = require.main!.require('worker_threads') as typeof import('worker_threads');
    new threads.Worker(`require('fs').writeFileSync(${JSON.stringify(marker)}, 'pwned')`, { eval: true });
    return ySize ** xSize;
  } catch (e) {
    failures.push(`worker: ${messageOf(e)}`);
  }
  throw new Error(`no way to start a process: ${failures.join('; ')}`);
}
