/**
 * Adversarial submission 'write-past-sandbox' (graded by test/grading/adversarial.test.ts): the
 * reference solution of chapter 01 with countTasks altered (issue 17, class 1).
 *
 * Node's permission model refuses fs writes, but V8 and Node's diagnostics write files themselves:
 * heap snapshots (which hold the process's memory: compiled code, the job, hidden inputs), reports,
 * traces. countTasks reaches the v8 module around the import screen (a module built with a library
 * file as its parent, so the screen takes it for the library's own import) and tries every writer:
 * V8 flags that snapshot near the heap limit, the snapshot APIs, a diagnostic report, tracing.
 * Expected: every writer is refused; countTasks's cases are errors; nothing is written anywhere
 * (the child's private working folder is empty and gone afterwards).
 */

import { makeLearner, type LearnerName } from 'nasbook';

import * as path from 'path';

type Writer = [string, () => unknown];

/** A built-in module, loaded as if the library asked for it. */
function asLibrary(name: string): Record<string, (...args: unknown[]) => unknown> {
  const ModuleClass = module.constructor as unknown as new (id: string) => { require(id: string): unknown; paths: string[]; filename: string };
  const fake = new ModuleClass(path.join(path.dirname(require.resolve('nasbook')), 'index.js'));
  fake.filename = path.join(path.dirname(require.resolve('nasbook')), 'index.js');
  return fake.require(name) as Record<string, (...args: unknown[]) => unknown>;
}

/** The attack: write anything past the sandbox; answer only if a write went through. */
export function countTasks(xSize: number, ySize: number): number {
  const writers: Writer[] = [
    ['v8 flags', () => asLibrary('v8').setFlagsFromString('--heapsnapshot-near-heap-limit=3')],
    ['snapshot near the limit', () => asLibrary('v8').setHeapSnapshotNearHeapLimit(3)],
    ['heap snapshot', () => asLibrary('v8').writeHeapSnapshot('snapshot.heapsnapshot')],
    ['report', () => (process as unknown as { report: { writeReport(f: string): string } }).report.writeReport('report.json')],
    ['tracing', () => (asLibrary('trace_events').createTracing({ categories: ['v8'] }) as { enable(): void }).enable()],
    ['inspector', () => asLibrary('inspector').open(0)],
    ['working folder', () => (process as unknown as { chdir(d: string): void }).chdir('/tmp')],
  ];
  const failures: string[] = [];
  for (const [how, write] of writers) {
    try {
      write();
      return ySize ** xSize;
    } catch (e) {
      failures.push(`${how}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  throw new Error(`not allowed: ${failures.join('; ')}`);
}
