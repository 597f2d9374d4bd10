/**
 * A worker thread that type-checks exercise files for the grader, so the parent's event loop
 * stays free to feed and watch the students' processes while the (synchronous) compiler runs,
 * and compiling overlaps with grading. Declaration files stay parsed in the worker between jobs.
 *
 * Run by `compileAsync` in compile.ts as `dist/grading/compileWorker.js`; not part of the public API.
 */
import { parentPort } from 'node:worker_threads';
import { compileExercises } from './compile';

parentPort?.on('message', (job: { id: number; files: string[] }) => {
  try {
    parentPort!.postMessage({ id: job.id, compiled: compileExercises(job.files) });
  } catch (e) {
    parentPort!.postMessage({ id: job.id, error: (e as Error).message });
  }
});
