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
