/**
 * Grading a class: every submission, every chapter, public and hidden cases, in parallel
 * sandboxed children; then the gradebook as files an instructor and Gradescope read.
 *
 * The instructor's seed stays in this process: it draws the hidden inputs and computes their
 * expected values from the reference solutions; a student's process receives only the inputs.
 * The gradebook records a fingerprint of the seed (so shards graded apart can be checked to
 * share it), never the seed.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { checkInt, checkString } from '../core/checks';
import { inShard } from '../core/shard';
import { chapterCases, chapters as allChapters, exerciseFileName } from './cases';
import { compileExercisesAsync, type Compiled, type CompileLimits } from './compile';
import { gradeCompiled, type CaseResult, type CaseStatus, type FileReport } from './grade';
import { hiddenCases } from './hidden';
import { libraryRule, type ProtectedExport } from './library';
import { ChildPool, type RunOptions } from './runner';
import { findExerciseFile, findSubmissions, type Submission, type SubmissionProblem } from './submissions';
import type { Case, ChapterCases } from './types';

export interface GradeOptions {
  /** The instructor's secret seed for hidden cases. */
  seed: string;
  /** Chapter files graded at once, each in processes of its own (default: the number of cores). */
  jobs?: number;
  /** Grade only shard `index` (1-based) of `count`: students whose position modulo count is index - 1. */
  shard?: { index: number; count: number };
  /** Chapters to grade (default: all). */
  chapters?: string[];
  /** Limits for each student's process. */
  limits?: RunOptions;
  /** Limits for type-checking each submission. */
  compile?: CompileLimits;
  /**
   * Start students' processes ahead of need, one waiting per job, so starting Node overlaps with
   * grading (default true; each process still serves one chapter of one student).
   */
  prestart?: boolean;
  /** Called after each graded submission. */
  onProgress?: (done: number, total: number, student: string) => void;
}

export interface StudentFlags {
  missing: boolean;
  compileError: boolean;
  timeout: boolean;
  crash: boolean;
  /** Forged result lines, or files written past the sandbox. */
  tamper: boolean;
  /** A graded call reached the library's implementation of an exercise (the library rule). */
  library: boolean;
}

export interface HiddenSummary {
  passed: number;
  total: number;
  score: number;
  max: number;
  /** Why hidden cases failed, as counts only: `2 wrong answer`, `1 timed out`. Never inputs. */
  causes: string[];
}

export interface ChapterGrade {
  chapter: string;
  slug: string;
  /** The student's file, relative to the submission; null when missing. */
  file: string | null;
  score: number;
  max: number;
  flags: StudentFlags;
  compileErrors: string[];
  publicResults: CaseResult[];
  hidden: HiddenSummary;
  /** What the student's code printed, capped. */
  output: string;
  forgedLines: number;
  /** Protected library functions its calls reached. */
  libraryUses: string[];
  /** Files its processes wrote past the sandbox (found in their private folders, removed). */
  writtenFiles: number;
}

export interface StudentGrade {
  student: string;
  total: number;
  max: number;
  flags: StudentFlags;
  chapters: ChapterGrade[];
  /** Why the entry could not be graded at all (it scores 0); absent for a gradable submission. */
  problem?: { code: SubmissionProblem; message: string };
}

/** Where the grading time went, in seconds of wall-clock time summed over submissions. */
export interface GradingTiming {
  /** The whole run, start to end. */
  wallSeconds: number;
  /** Type-checking (in checker processes, overlapping with the rest; the wait for a free one not counted). */
  typeCheckSeconds: number;
  /** The checker processes' processor time for the checks (0 where /proc is not there). */
  typeCheckCpuSeconds: number;
  /** Starting student processes. */
  processStartSeconds: number;
  /** Loading modules and running cases. */
  casesSeconds: number;
  /** Cases that ran into a time limit. */
  waitingOnTimeoutsSeconds: number;
  /** Processor time of the students' processes, start included (0 where /proc is not there): what grading cost, whatever the load. */
  processCpuSeconds: number;
}

export interface Gradebook {
  /** sha256 of the seed, first 16 hex digits: equal for shards graded with the same seed. */
  seedFingerprint: string;
  chapters: { chapter: string; slug: string; max: number }[];
  students: StudentGrade[];
  /** Where the time went (not merged across shards). */
  timing?: GradingTiming;
}

const NO_FLAGS: StudentFlags = { missing: false, compileError: false, timeout: false, crash: false, tamper: false, library: false };

const CAUSE_WORDS: Record<CaseStatus, string> = {
  pass: 'passed', fail: 'wrong answer', todo: 'not done', error: 'threw an error', timeout: 'timed out', crash: 'crashed', 'compile-error': 'did not compile',
};

export function seedFingerprint(seed: string): string {
  return createHash('sha256').update(seed).digest('hex').slice(0, 16);
}

function checkGradeOptions(options: GradeOptions): ChapterCases[] {
  checkString('seed', options.seed, 'grade');
  if (options.jobs !== undefined) checkInt('jobs', options.jobs, { min: 1, max: 256 }, 'grade');
  if (options.shard) {
    checkInt('shard.count', options.shard.count, { min: 1 }, 'grade');
    checkInt('shard.index', options.shard.index, { min: 1, max: options.shard.count }, 'grade');
  }
  return options.chapters ? options.chapters.map((c) => chapterCases(c)) : [...allChapters];
}

function statusCounts(results: CaseResult[]): string[] {
  const counts = new Map<CaseStatus, number>();
  for (const r of results) if (r.status !== 'pass') counts.set(r.status, (counts.get(r.status) ?? 0) + 1);
  return [...counts].map(([status, n]) => `${n} ${CAUSE_WORDS[status]}`);
}

function flagsOf(results: CaseResult[], report: FileReport): StudentFlags {
  return {
    missing: false,
    compileError: results.some((r) => r.status === 'compile-error'),
    timeout: results.some((r) => r.status === 'timeout'),
    crash: results.some((r) => r.status === 'crash'),
    tamper: report.forgedLines > 0 || (report.writtenFiles ?? 0) > 0,
    library: (report.libraryUses ?? []).length > 0,
  };
}

function mergeFlags(all: StudentFlags[]): StudentFlags {
  return {
    missing: all.some((f) => f.missing),
    compileError: all.some((f) => f.compileError),
    timeout: all.some((f) => f.timeout),
    crash: all.some((f) => f.crash),
    tamper: all.some((f) => f.tamper),
    library: all.some((f) => f.library),
  };
}

function missingChapter(chapter: ChapterCases, hidden: Case[]): ChapterGrade {
  const max = [...chapter.publicCases, ...hidden].reduce((t, c) => t + c.points, 0);
  return {
    chapter: chapter.chapter, slug: chapter.slug, file: null, score: 0, max, flags: { ...NO_FLAGS, missing: true }, compileErrors: [],
    publicResults: [], hidden: { passed: 0, total: hidden.length, score: 0, max: hidden.reduce((t, c) => t + c.points, 0), causes: [`${hidden.length} missing file`] },
    output: '', forgedLines: 0, libraryUses: [], writtenFiles: 0,
  };
}

function chapterGrade(sub: Submission, chapter: ChapterCases, hiddenCount: number, report: FileReport): ChapterGrade {
  const split = report.results.length - hiddenCount;
  const publicResults = report.results.slice(0, split);
  const hiddenResults = report.results.slice(split);
  return {
    chapter: chapter.chapter,
    slug: chapter.slug,
    file: path.relative(sub.dir, report.file),
    score: report.score,
    max: report.maxScore,
    flags: flagsOf(report.results, report),
    compileErrors: report.compileErrors,
    publicResults,
    hidden: {
      passed: hiddenResults.filter((r) => r.status === 'pass').length,
      total: hiddenResults.length,
      score: hiddenResults.reduce((s, r) => s + r.earned, 0),
      max: hiddenResults.reduce((s, r) => s + r.points, 0),
      causes: statusCounts(hiddenResults),
    },
    output: report.output,
    forgedLines: report.forgedLines,
    libraryUses: report.libraryUses ?? [],
    writtenFiles: report.writtenFiles ?? 0,
  };
}

interface Prepared {
  sub: Submission;
  present: { chapter: ChapterCases; file: string }[];
  /** Type-checking in a bounded checker process, started before the submission's turn to run. */
  compiled: Promise<Compiled[]>;
}

function prepare(sub: Submission, chapters: ChapterCases[], limits: CompileLimits, timing: { typeCheckMs: number; typeCheckCpuMs: number }): Prepared {
  const present = chapters
    .map((chapter) => ({ chapter, file: findExerciseFile(sub, exerciseFileName(chapter)) }))
    .filter((x): x is { chapter: ChapterCases; file: string } => x.file !== null);
  const onTiming = (t: { wallMs: number; cpuMs: number | null }) => {
    timing.typeCheckMs += t.wallMs;
    timing.typeCheckCpuMs += t.cpuMs ?? 0;
  };
  const compiled = present.length ? compileExercisesAsync(present.map((p) => p.file), { ...limits, onTiming }) : Promise.resolve([]);
  return { sub, present, compiled };
}

/**
 * One chapter of one submission, in processes of its own: public cases first, each call's inputs
 * sent only after the call before it reported, so no hidden input reaches anything the student
 * sees. A failure of the grader on one file costs that file, not the class.
 * @param k the chapter's index among the submission's present files
 */
async function gradeChapterFile(p: Prepared, k: number, hidden: Map<string, Case[]>, rules: Map<string, ProtectedExport[]>, limits: RunOptions): Promise<FileReport> {
  const { chapter, file } = p.present[k];
  const cases = [...chapter.publicCases, ...hidden.get(chapter.chapter)!];
  try {
    const compiled = (await p.compiled)[k];
    // The code arrives on stdin: the child needs no read access to the submission at all.
    const [report] = await gradeCompiled([compiled], [{ file, cases, protectedExports: rules.get(chapter.chapter) }], { ...limits, readable: [] });
    return report;
  } catch (e) {
    // Not the student's doing (the grader could not run it): the chapter scores 0 with the reason.
    const message = `the grader could not run this file: ${String((e as Error)?.message ?? e).slice(0, 300)}`;
    return {
      file, compileErrors: [message], score: 0, maxScore: cases.reduce((t, c) => t + c.points, 0),
      results: cases.map((c) => ({ name: c.name, fn: c.fn, status: 'crash' as const, points: c.points, earned: 0, message, hint: c.hint, args: c.args, expected: c.expected })),
      output: '', forgedLines: 0, libraryUses: [], writtenFiles: 0,
    };
  }
}

/** A submission's chapter grades, in the order of `chapters`, from the reports of its present files. */
function submissionGrades(p: Prepared, chapters: ChapterCases[], hidden: Map<string, Case[]>, reports: FileReport[]): ChapterGrade[] {
  return chapters.map((chapter) => {
    const i = p.present.findIndex((x) => x.chapter === chapter);
    const cases = hidden.get(chapter.chapter)!;
    return i < 0 ? missingChapter(chapter, cases) : chapterGrade(p.sub, chapter, cases.length, reports[i]);
  });
}

/** Run `tasks` with at most `jobs` at once, keeping results in order. */
async function pool<T>(tasks: (() => Promise<T>)[], jobs: number): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const i = next++;
      results[i] = await tasks[i]();
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, tasks.length) }, worker));
  return results;
}

/**
 * Grade every submission under `submissionsDir` (or one shard of them).
 * @throws Error for a missing folder, an unsafe zip, an unknown chapter or bad options, before grading anything
 */
export async function gradeClass(submissionsDir: string, options: GradeOptions): Promise<Gradebook> {
  const chapters = checkGradeOptions(options);
  const jobs = options.jobs ?? os.availableParallelism();
  const started = performance.now();
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-grade-'));
  const children = options.prestart === false ? undefined : new ChildPool(jobs);
  try {
    let submissions = findSubmissions(submissionsDir, work);
    if (options.shard) {
      const { index, count } = options.shard;
      submissions = submissions.filter((_, i) => inShard(i, { index, count }));
    }
    const hidden = new Map<string, Case[]>();
    const rules = new Map<string, ProtectedExport[]>();
    // Every chapter's expected values at once: each is a process of its own running the solution.
    const drawn = await Promise.all(chapters.map((chapter) => hiddenCases(chapter, options.seed)));
    chapters.forEach((chapter, i) => {
      hidden.set(chapter.chapter, drawn[i]);
      rules.set(chapter.chapter, libraryRule(chapter));
    });

    let done = 0;
    const typeCheck = { typeCheckMs: 0, typeCheckCpuMs: 0 };
    const run = { startMs: 0, casesMs: 0, waitingMs: 0, cpuMs: 0 };
    const limits: RunOptions = { ...options.limits, ...(children ? { pool: children } : {}) };
    // Every submission is queued for type-checking now; the bounded workers check ahead of the
    // processes that run them, so both cores stay busy.
    const compileLimits = { workers: jobs, ...options.compile };
    const prepared = submissions.map((sub) => prepare(sub, chapters, compileLimits, typeCheck));
    // One task per chapter file, not per submission, so the cores stay busy to the end: a
    // submission whose every chapter loops does not leave one core to wait out its limits alone.
    const files = prepared.flatMap((p, s) => p.present.map((_, k) => ({ s, k })));
    const left = prepared.map((p) => p.present.length);
    const finished = (s: number) => options.onProgress?.(++done, submissions.length, prepared[s].sub.student);
    left.forEach((n, s) => n === 0 && finished(s));
    const reports = await pool(
      files.map(({ s, k }) => async () => {
        const report = await gradeChapterFile(prepared[s], k, hidden, rules, limits);
        run.startMs += report.timing?.startMs ?? 0;
        run.casesMs += report.timing?.casesMs ?? 0;
        run.waitingMs += report.timing?.waitingMs ?? 0;
        run.cpuMs += report.timing?.cpuMs ?? 0;
        if (--left[s] === 0) finished(s);
        return report;
      }),
      jobs,
    );
    const bySubmission = prepared.map(() => [] as FileReport[]);
    files.forEach(({ s, k }, i) => (bySubmission[s][k] = reports[i]));
    const graded = prepared.map((p, s) => submissionGrades(p, chapters, hidden, bySubmission[s]));
    const students = submissions.map((sub, s): StudentGrade => {
      const mine = graded[s];
      const grade: StudentGrade = {
        student: sub.student,
        total: mine.reduce((t, c) => t + c.score, 0),
        max: mine.reduce((t, c) => t + c.max, 0),
        flags: mergeFlags(mine.map((c) => c.flags)),
        chapters: mine,
      };
      return sub.problem ? { ...grade, problem: sub.problem } : grade;
    });
    return {
      seedFingerprint: seedFingerprint(options.seed),
      chapters: chapters.map((c) => ({ chapter: c.chapter, slug: c.slug, max: c.publicCases.reduce((t, x) => t + x.points, 0) + hidden.get(c.chapter)!.reduce((t, x) => t + x.points, 0) })),
      students,
      timing: {
        wallSeconds: (performance.now() - started) / 1000,
        typeCheckSeconds: typeCheck.typeCheckMs / 1000,
        typeCheckCpuSeconds: typeCheck.typeCheckCpuMs / 1000,
        processStartSeconds: run.startMs / 1000,
        casesSeconds: run.casesMs / 1000,
        waitingOnTimeoutsSeconds: run.waitingMs / 1000,
        processCpuSeconds: run.cpuMs / 1000,
      },
    };
  } finally {
    await children?.close();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
