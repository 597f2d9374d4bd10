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
import { compileExercisesAsync, type Compiled } from './compile';
import { gradeCompiled, type CaseResult, type CaseStatus, type FileReport } from './grade';
import { hiddenCases } from './hidden';
import type { RunOptions } from './runner';
import { findExerciseFile, findSubmissions, type Submission } from './submissions';
import type { Case, ChapterCases } from './types';

export interface GradeOptions {
  /** The instructor's secret seed for hidden cases. */
  seed: string;
  /** Submissions graded at once (default: the number of cores). */
  jobs?: number;
  /** Grade only shard `index` (1-based) of `count`: students whose position modulo count is index - 1. */
  shard?: { index: number; count: number };
  /** Chapters to grade (default: all). */
  chapters?: string[];
  /** Limits for each student's process. */
  limits?: RunOptions;
  /** Called after each graded submission. */
  onProgress?: (done: number, total: number, student: string) => void;
}

export interface StudentFlags {
  missing: boolean;
  compileError: boolean;
  timeout: boolean;
  crash: boolean;
  tamper: boolean;
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
}

export interface StudentGrade {
  student: string;
  total: number;
  max: number;
  flags: StudentFlags;
  chapters: ChapterGrade[];
}

export interface Gradebook {
  /** sha256 of the seed, first 16 hex digits: equal for shards graded with the same seed. */
  seedFingerprint: string;
  chapters: { chapter: string; slug: string; max: number }[];
  students: StudentGrade[];
}

const NO_FLAGS: StudentFlags = { missing: false, compileError: false, timeout: false, crash: false, tamper: false };

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

function flagsOf(results: CaseResult[], missing: boolean, forgedLines: number): StudentFlags {
  return {
    missing,
    compileError: results.some((r) => r.status === 'compile-error'),
    timeout: results.some((r) => r.status === 'timeout'),
    crash: results.some((r) => r.status === 'crash'),
    tamper: forgedLines > 0,
  };
}

function mergeFlags(all: StudentFlags[]): StudentFlags {
  return {
    missing: all.some((f) => f.missing),
    compileError: all.some((f) => f.compileError),
    timeout: all.some((f) => f.timeout),
    crash: all.some((f) => f.crash),
    tamper: all.some((f) => f.tamper),
  };
}

function missingChapter(chapter: ChapterCases, hidden: Case[]): ChapterGrade {
  const max = [...chapter.publicCases, ...hidden].reduce((t, c) => t + c.points, 0);
  return {
    chapter: chapter.chapter, slug: chapter.slug, file: null, score: 0, max, flags: { ...NO_FLAGS, missing: true }, compileErrors: [],
    publicResults: [], hidden: { passed: 0, total: hidden.length, score: 0, max: hidden.reduce((t, c) => t + c.points, 0), causes: [`${hidden.length} missing file`] },
    output: '', forgedLines: 0,
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
    flags: flagsOf(report.results, false, report.forgedLines),
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
  };
}

interface Prepared {
  sub: Submission;
  present: { chapter: ChapterCases; file: string }[];
  /** Compiling on the worker thread, started before the submission's turn to run. */
  compiled: Promise<Compiled[]>;
}

function prepare(sub: Submission, chapters: ChapterCases[]): Prepared {
  const present = chapters
    .map((chapter) => ({ chapter, file: findExerciseFile(sub, exerciseFileName(chapter)) }))
    .filter((x): x is { chapter: ChapterCases; file: string } => x.file !== null);
  const compiled = present.length ? compileExercisesAsync(present.map((p) => p.file)) : Promise.resolve([]);
  compiled.catch(() => undefined); // awaited (and reported) in gradeSubmission
  return { sub, present, compiled };
}

/** All chapters of one submission, run in one sandboxed process (restarted only when a call ends it). */
async function gradeSubmission({ sub, present, compiled }: Prepared, chapters: ChapterCases[], hidden: Map<string, Case[]>, limits: RunOptions): Promise<ChapterGrade[]> {
  const reports = await gradeCompiled(
    await compiled,
    present.map(({ chapter }) => [...chapter.publicCases, ...hidden.get(chapter.chapter)!]),
    // The code arrives on stdin: the child needs no read access to the submission at all.
    { ...limits, readable: [] },
  );
  return chapters.map((chapter) => {
    const i = present.findIndex((p) => p.chapter === chapter);
    const cases = hidden.get(chapter.chapter)!;
    return i < 0 ? missingChapter(chapter, cases) : chapterGrade(sub, chapter, cases.length, reports[i]);
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
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-grade-'));
  try {
    let submissions = findSubmissions(submissionsDir, work);
    if (options.shard) {
      const { index, count } = options.shard;
      submissions = submissions.filter((_, i) => inShard(i, { index, count }));
    }
    const hidden = new Map<string, Case[]>();
    for (const chapter of chapters) hidden.set(chapter.chapter, await hiddenCases(chapter, options.seed));

    let done = 0;
    // Every submission is queued for compiling now; the worker thread compiles ahead of the
    // processes that run them, so both cores stay busy.
    const prepared = submissions.map((sub) => prepare(sub, chapters));
    const graded = await pool(
      prepared.map((p) => async () => {
        const sub = p.sub;
        const grades = await gradeSubmission(p, chapters, hidden, options.limits ?? {});
        options.onProgress?.(++done, submissions.length, sub.student);
        return grades;
      }),
      jobs,
    );
    const students = submissions.map((sub, s): StudentGrade => {
      const mine = graded[s];
      return {
        student: sub.student,
        total: mine.reduce((t, c) => t + c.score, 0),
        max: mine.reduce((t, c) => t + c.max, 0),
        flags: mergeFlags(mine.map((c) => c.flags)),
        chapters: mine,
      };
    });
    return {
      seedFingerprint: seedFingerprint(options.seed),
      chapters: chapters.map((c) => ({ chapter: c.chapter, slug: c.slug, max: c.publicCases.reduce((t, x) => t + x.points, 0) + hidden.get(c.chapter)!.reduce((t, x) => t + x.points, 0) })),
      students,
    };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
