/**
 * A process that type-checks exercise files for the grader, so the grader's event loop stays free
 * to feed and watch the students' processes while the (synchronous) compiler runs, and compiling
 * overlaps with grading. Declaration files stay parsed here between jobs. It is trusted: it reads
 * students' files but never runs them.
 *
 * A process, not a worker thread, so that it can run with V8's background pool cut to one thread
 * (`--v8-pool-size=1`, which a process cannot set on itself): with the default pool, V8's garbage
 * collector and compiler threads spent about as much processor time again as the checker itself
 * on two cores (bench/README.md).
 *
 * Started by `compileExercisesAsync` in compile.ts as `dist/grading/compileWorker.js`, one job at a
 * time over its IPC channel; not part of the public API.
 */
import { compileExercises } from './compile';

process.on('message', (job: { files: string[] }) => {
  let answer: unknown;
  try {
    answer = { compiled: compileExercises(job.files) };
  } catch (e) {
    answer = { error: String((e as Error)?.message ?? e) };
  }
  process.send!(answer);
});
// The grader is gone (or done with this checker): nothing is left to do.
process.on('disconnect', () => process.exit(0));
