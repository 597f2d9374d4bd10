/**
 * A worker thread that type-checks exercise files for the grader, so the parent's event loop
 * stays free to feed and watch the students' processes while the (synchronous) compiler runs,
 * and compiling overlaps with grading. Declaration files stay parsed in the worker between jobs.
 *
 * Run by `compileExercisesAsync` in compile.ts, one job at a time, with resource limits as `dist/grading/compileWorker.js`; not part of the public API.
 */
import * as fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { compileExercises } from './compile';

// This thread's id in the operating system, so the parent can charge the check its processor
// time (Linux; elsewhere the parent falls back on the wall clock).
try {
  parentPort?.postMessage({ tid: Number(fs.readlinkSync('/proc/thread-self').split('/').pop()) });
} catch {
  parentPort?.postMessage({ tid: null });
}

parentPort?.on('message', (job: { files: string[] }) => {
  try {
    parentPort!.postMessage({ compiled: compileExercises(job.files) });
  } catch (e) {
    parentPort!.postMessage({ error: String((e as Error)?.message ?? e) });
  }
});
