/**
 * Benchmark of the class grader (not a test: it measures and prints). Generates a class of 100
 * submissions across every chapter with exercises, a mix a real class hands in: correct ones,
 * partly correct ones (one function per chapter unfinished or off by one), and broken ones (a
 * type error, a syntax error, a missing file, an infinite loop), then grades them with
 * `gradeClass` on every core and prints the time and submissions per second.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { packageRoot } from '../src/core/paths';
import { createRng, type Rng } from '../src/core/rng';
import { chapters, exerciseFileName } from '../src/grading/cases';
import { closeCheckers } from '../src/grading/compile';
import { gradeClass } from '../src/grading/gradebook';
import { networkIsolation } from '../src/grading/sandbox';
import type { ChapterCases } from '../src/grading/types';

const STUDENTS = 100;
/** Kinds of submission and how many of each in a class of 100. */
const MIX: [Kind, number][] = [['correct', 40], ['partial', 20], ['wrong', 10], ['typeError', 10], ['syntaxError', 5], ['missing', 12], ['loop', 3]];
type Kind = 'correct' | 'partial' | 'wrong' | 'typeError' | 'syntaxError' | 'missing' | 'loop';

/**
 * Replace exported function `fn` of a solution by `body`, keeping the original under another name.
 * The replacement keeps the original's signature, so the solution's other functions still
 * type-check against it (a caller's `(x) => ...` needs its parameter types from there).
 */
function replaceFunction(source: string, fn: string, body: string): string {
  const renamed = source.replace(new RegExp(`export (async )?function ${fn}\\b`), `$1function ${fn}__reference`);
  const ref = `typeof ${fn}__reference`;
  return `${renamed}\nexport function ${fn}(...args: Parameters<${ref}>): ReturnType<${ref}> {\n  ${body}\n}\n`;
}

function variant(kind: Kind, chapter: ChapterCases, solution: string, rng: Rng): string | null {
  const fn = rng.choice(chapter.functions);
  switch (kind) {
    case 'correct':
      return solution;
    case 'partial':
      return replaceFunction(solution, fn, 'throw new Error("TODO: not finished");');
    case 'wrong':
      return replaceFunction(solution, fn, `const r = (${fn}__reference as any)(...args);\n  return (typeof r === "number" ? r + 1 : null) as any;`);
    case 'typeError':
      return `${solution}\nexport const answer: number = "forty-two";\n`;
    case 'syntaxError':
      return `${solution}\nexport function (\n`;
    case 'missing':
      return null;
    case 'loop':
      return replaceFunction(solution, fn, 'for (;;) { /* never returns */ }');
  }
}

function makeClass(dir: string): Record<Kind, number> {
  const rng = createRng('bench-grading-class');
  const kinds = rng.shuffle(MIX.flatMap(([kind, n]) => Array<Kind>(n).fill(kind)));
  const counts = Object.fromEntries(MIX.map(([k]) => [k, 0])) as Record<Kind, number>;
  kinds.slice(0, STUDENTS).forEach((kind, i) => {
    counts[kind]++;
    const student = path.join(dir, `student-${String(i + 1).padStart(3, '0')}`, 'exercises');
    fs.mkdirSync(student, { recursive: true });
    for (const chapter of chapters) {
      const solution = fs.readFileSync(path.join(packageRoot(), 'solutions', exerciseFileName(chapter)), 'utf8');
      const text = variant(kind, chapter, solution, rng.child(`${i}/${chapter.chapter}`));
      if (text !== null) fs.writeFileSync(path.join(student, exerciseFileName(chapter)), text);
    }
  });
  return counts;
}

/**
 * Processor time, in seconds, of this process (every thread) and of its children that have ended
 * (the students' processes, and the type-check processes once closed), from /proc; null where it is not there.
 */
function processorSeconds(): { own: number; children: number } | null {
  try {
    const stat = fs.readFileSync('/proc/self/stat', 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const usage = process.cpuUsage();
    // cutime and cstime (fields 16 and 17 of stat, in clock ticks of 1/100 s).
    return { own: (usage.user + usage.system) / 1e6, children: (Number(fields[13]) + Number(fields[14])) / 100 };
  } catch {
    return null;
  }
}

/**
 * Public cases of a gradebook that timed out: those that ran into their limit, and those not run
 * because their function had already timed out twice (they cost no time). Hidden cases are
 * reported as counts by cause only, so they are counted apart, without the split.
 */
function timedOutCases(gradebook: Awaited<ReturnType<typeof gradeClass>>): { ran: number; notRun: number; hidden: number } {
  const n = { ran: 0, notRun: 0, hidden: 0 };
  for (const s of gradebook.students) {
    for (const c of s.chapters) {
      for (const r of c.publicResults.filter((x) => x.status === 'timeout')) /^not run:/.test(r.message ?? '') ? n.notRun++ : n.ran++;
      for (const cause of c.hidden.causes) n.hidden += /^(\d+) timed out$/.test(cause) ? Number(cause.split(' ')[0]) : 0;
    }
  }
  return n;
}

export async function benchGrading(): Promise<void> {
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-bench-grading-'));
  try {
    const counts = makeClass(work);
    const jobs = Number(process.env.NASBOOK_BENCH_JOBS ?? os.availableParallelism());
    // NASBOOK_BENCH_PRESTART=0: every process started when needed, to compare with processes started ahead.
    const prestart = process.env.NASBOOK_BENCH_PRESTART !== '0';
    console.log(
      `\ngrading ${STUDENTS} generated submissions x ${chapters.length} chapters (${MIX.map(([k]) => `${counts[k]} ${k}`).join(', ')}), ` +
        `--jobs ${jobs}, 1 s per case, processes started ${prestart ? 'ahead' : 'when needed'}`,
    );
    const cpu0 = processorSeconds();
    const t0 = performance.now();
    const gradebook = await gradeClass(work, { seed: 'bench-seed', jobs, limits: { callTimeoutMs: 1000 }, prestart });
    const seconds = (performance.now() - t0) / 1000;
    // The type-check processes outlive the class (they wait for the next); ended, their processor time is counted.
    await closeCheckers();
    const cpu1 = processorSeconds();
    const full = gradebook.students.filter((s) => s.total === s.max).length;
    const t = gradebook.timing!;
    const load = os.loadavg().map((x) => x.toFixed(1)).join(' ');
    const flagged = (k: keyof (typeof gradebook.students)[number]['flags']) => gradebook.students.filter((s) => s.flags[k]).length;
    console.log(`graded in ${seconds.toFixed(1)} s: ${(STUDENTS / seconds).toFixed(2)} submissions/s (${((STUDENTS * chapters.length) / seconds).toFixed(2)} chapter files/s)`);
    console.log(`full marks ${full}, timeouts ${flagged('timeout')}, compile errors ${flagged('compileError')}, missing ${flagged('missing')}, crashes ${flagged('crash')}`);
    // Summed over submissions, so the parts overlap (jobs at once, type checks beside the runs).
    console.log(
      `time split (seconds summed over submissions): type check ${t.typeCheckSeconds.toFixed(1)} (processor ${t.typeCheckCpuSeconds.toFixed(1)}), process start ${t.processStartSeconds.toFixed(1)}, ` +
        `cases ${t.casesSeconds.toFixed(1)}, waiting on timeouts ${t.waitingOnTimeoutsSeconds.toFixed(1)}; network isolation: ${networkIsolation()}; load average ${load}`,
    );
    // Processor time does not depend on what else the machine runs: it says what the class costs.
    if (cpu0 && cpu1) {
      const own = cpu1.own - cpu0.own;
      const children = cpu1.children - cpu0.children;
      const timedOut = timedOutCases(gradebook);
      console.log(
        `processor time: ${(own + children).toFixed(1)} s (${((own + children) / STUDENTS).toFixed(2)} s per submission): grader's own process ${own.toFixed(1)} s, ` +
          `processes ${children.toFixed(1)} s (type checks ${t.typeCheckCpuSeconds.toFixed(1)} s, students' ${t.processCpuSeconds.toFixed(1)} s; the rest: starting the type checkers, solutions for hidden cases, processes started ahead)`,
      );
      // A case that runs into its time limit has used 1 s of processor time by definition; one not
      // run (its function timed out twice already) used none.
      console.log(
        `timed-out cases: public ${timedOut.ran} ran into the limit (at least ${timedOut.ran} s of processor time) and ${timedOut.notRun} were not run; hidden ${timedOut.hidden} (ran or not run)`,
      );
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
