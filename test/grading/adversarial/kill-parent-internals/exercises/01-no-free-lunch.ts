/**
 * Adversarial submission 'kill-parent-internals' (graded by test/grading/adversarial.test.ts): the reference
 * solution of chapter 01 with countTasks altered.
 *
 * countTasks looks for another way to signal or take over its parent: process._kill,
 * process._debugProcess (SIGUSR1 opens the parent's inspector), process.binding, process.getBuiltinModule, the
 * prototype of process. Expected: every way fails; countTasks's cases are errors; the grader lives.
 */

import { makeLearner, type LearnerName } from 'nasbook';

function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
/** The attack: try every internal door to the parent; answer only if one opened. */
export function countTasks(xSize: number, ySize: number): number {
  const p = process as unknown as Record<string, unknown>;
  const call = (name: string, ...args: unknown[]) => (p[name] as (...a: unknown[]) => unknown)(...args);
  const attempts: [string, () => unknown][] = [
    ['process._kill', () => call('_kill', process.ppid, 0)],
    ['process._debugProcess', () => call('_debugProcess', process.ppid)],
    ['process.binding(process_wrap)', () => call('binding', 'process_wrap')],
    ['process.binding(signal_wrap)', () => call('binding', 'signal_wrap')],
    ['process._linkedBinding', () => call('_linkedBinding', 'process_wrap')],
    ['getBuiltinModule(child_process)', () => (call('getBuiltinModule', 'child_process') as { execFileSync(f: string, a: string[]): unknown }).execFileSync('kill', ['-0', String(process.ppid)])],
    ['prototype kill', () => (Object.getPrototypeOf(process) as { kill(pid: number, s: number): void }).kill(process.ppid, 0)],
  ];
  const failures: string[] = [];
  for (const [name, attempt] of attempts) {
    try {
      attempt();
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${name}: ${messageOf(e)}`);
    }
  }
  throw new Error(`no way to the parent: ${failures.join('; ')}`);
}

/** 1-NN on the line 0..xSize-1; ties go to the smaller training input; no data -> all 0. */
export function nearestNeighbourPredict(xSize: number, inputs: number[], labels: number[]): number[] {
  const out: number[] = [];
  for (let x = 0; x < xSize; x++) {
    let best = -1;
    for (let i = 0; i < inputs.length; i++) {
      const d = Math.abs(x - inputs[i]);
      const bestD = best < 0 ? Infinity : Math.abs(x - inputs[best]);
      if (d < bestD || (d === bestD && inputs[i] < inputs[best])) best = i;
    }
    out.push(best < 0 ? 0 : labels[best]);
  }
  return out;
}

/** All ascending subsets of {0..n-1} with m elements. */
function subsets(n: number, m: number, from = 0): number[][] {
  if (m === 0) return [[]];
  const out: number[][] = [];
  for (let x = from; x <= n - m; x++) for (const rest of subsets(n, m - 1, x + 1)) out.push([x, ...rest]);
  return out;
}

/** Correct and total predictions at inputs off the training set, over all training sets of size m. */
export function otsCountsOnTask(learner: LearnerName, task: number[], ySize: number, trainSize: number): { correct: number; total: number } {
  const n = task.length;
  const model = makeLearner(learner);
  let correct = 0;
  let total = 0;
  for (const inputs of subsets(n, trainSize)) {
    const h = model.learn({ inputs, labels: inputs.map((x) => task[x]) }, { xSize: n, ySize });
    for (let x = 0; x < n; x++) {
      if (inputs.includes(x)) continue;
      total++;
      if (h[x] === task[x]) correct++;
    }
  }
  return { correct, total };
}

/** otsCountsOnTask summed over a family of tasks. */
export function familyOtsCounts(learner: LearnerName, tasks: number[][], ySize: number, trainSize: number): { correct: number; total: number } {
  let correct = 0;
  let total = 0;
  for (const task of tasks) {
    const c = otsCountsOnTask(learner, task, ySize, trainSize);
    correct += c.correct;
    total += c.total;
  }
  return { correct, total };
}
