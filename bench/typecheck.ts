/**
 * Benchmark of the grader's type check alone (not a test: it measures and prints). A class of
 * submissions, each a copy of the nine solutions in a folder of its own (every third one the
 * exercise stubs instead), type-checked one after another in one bounded checker process, the way
 * `gradeClass` checks them; the checker's processor time per submission, from /proc. Baseline in the
 * same run: the same files checked by TypeScript with its default compiler host in this process
 * (every declaration file read, parsed and resolved again for each program, nothing shared).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as TS from 'typescript';
import { packageRoot } from '../src/core/paths';
import { compileExercisesAsync } from '../src/grading/compile';

const SUBMISSIONS = 30;
const BASELINE_SUBMISSIONS = 4;

/** `count` submission folders under `work`, each with its own copies of the course's files. */
function makeSubmissions(work: string, count: number): string[][] {
  return Array.from({ length: count }, (_, i) => {
    const from = path.join(packageRoot(), i % 3 === 2 ? 'exercises' : 'solutions');
    const dir = path.join(work, `student-${i}`);
    fs.mkdirSync(dir);
    return fs.readdirSync(from).map((name) => {
      fs.copyFileSync(path.join(from, name), path.join(dir, name));
      return path.join(dir, name);
    });
  });
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
}

/** Processor time of a type check with TypeScript's own host (same options as the grader's), in ms. */
function freshProgramMs(ts: typeof TS, files: string[]): number {
  const root = packageRoot();
  const options: TS.CompilerOptions = {
    target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, moduleResolution: ts.ModuleResolutionKind.Node10, lib: ['lib.es2022.d.ts'],
    strict: true, esModuleInterop: true, skipLibCheck: true, noEmit: true,
    typeRoots: [path.join(root, 'node_modules', '@types')], types: ['node'], baseUrl: root, paths: { nasbook: [root] },
  };
  const start = process.cpuUsage();
  const program = ts.createProgram(files, options);
  for (const file of files) program.getSemanticDiagnostics(program.getSourceFile(file));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

export async function benchTypecheck(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-bench-typecheck-'));
  try {
    const submissions = makeSubmissions(work, SUBMISSIONS);
    console.log(`\ntype check of ${SUBMISSIONS} submissions of ${submissions[0].length} files, one after another in one checker process`);
    const cpu: number[] = [];
    for (const files of submissions) await compileExercisesAsync(files, { workers: 1, onTiming: (t) => cpu.push(t.cpuMs ?? NaN) });
    const warm = cpu.slice(1);
    console.log(`checker: first submission ${cpu[0].toFixed(0)} ms (declarations parsed), then median ${median(warm).toFixed(0)} ms, mean ${(warm.reduce((a, b) => a + b, 0) / warm.length).toFixed(0)} ms of processor time per submission (type check and transpile)`);
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript') as typeof TS;
    const baseline = submissions.slice(0, BASELINE_SUBMISSIONS).map((files) => freshProgramMs(ts, files));
    console.log(
      `baseline, TypeScript's default host (nothing shared, type check only): median ${median(baseline).toFixed(0)} ms per submission over ${BASELINE_SUBMISSIONS}; ` +
        `ratio ${(median(baseline) / median(warm)).toFixed(1)}x; load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`,
    );
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
