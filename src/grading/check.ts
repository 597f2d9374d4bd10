/**
 * `check`: a student's feedback loop. Runs a chapter's public cases on the student's exercise file
 * and shows which pass, row by row as the cases finish, with the failing input, the expected and
 * the actual result, the line the code threw at, and a hint.
 */
import * as path from 'node:path';
import { inspect } from 'node:util';
import { checkOneOf } from '../core/checks';
import { courseDir } from '../core/paths';
import { currentCell } from '../jupyter/cell';
import { showLive } from '../viz/notebook';
import { chapterCases, exerciseFileName } from './cases';
import { gradeFile, type CaseResult, type GradeFileOptions } from './grade';
import { caseText, headerText, reportHtml, reportText, summaryLine, type ChapterReport, type HintLevel } from './report';

export interface CheckOptions extends Omit<GradeFileOptions, 'onCase'> {
  /** The folder holding the file to check (default: the course's `exercises/`). */
  dir?: string;
  /** 'nudge' (default): a short hint under a failing case; 'full': the fuller hint as well. */
  hints?: HintLevel;
  /** Told of each case as soon as it finishes (progress). */
  onCase?: (result: CaseResult, index: number) => void;
}

const HINT_LEVELS: readonly HintLevel[] = ['nudge', 'full'];

/**
 * Run the public cases of `chapter` on `<dir>/NN-slug.ts` and return the report.
 * @param chapter number or slug: '01', 1, 'no-free-lunch'
 * @throws RangeError naming the chapters there are, for an unknown chapter
 * @example const report = await checkChapter('01'); report.score
 */
export async function checkChapter(chapter: string | number, options: CheckOptions = {}, caller = 'checkChapter'): Promise<ChapterReport> {
  const cases = chapterCases(chapter, caller);
  if (options.hints !== undefined) checkOneOf('hints', options.hints, HINT_LEVELS, caller);
  const file = path.join(options.dir ?? courseDir('exercises'), exerciseFileName(cases));
  const { onCase, dir: _dir, hints: _hints, ...gradeOptions } = options;
  const report = await gradeFile(file, cases.publicCases, onCase ? { ...gradeOptions, onCase: (r, _f, k) => onCase(r, k) } : gradeOptions);
  return { ...report, chapter: cases.chapter, slug: cases.slug };
}

/** What `check` resolves to: the report, which a notebook prints as its one-line summary. */
export type CheckReport = ChapterReport & { [inspect.custom](): string };

function withSummary(report: ChapterReport): CheckReport {
  const line = `Chapter ${report.chapter} (${report.slug}): ${summaryLine(report)}`;
  // Not enumerable: the report stays plain data (JSON, spreading), and tslab prints the line.
  return Object.defineProperty({ ...report }, inspect.custom, { value: () => line, enumerable: false }) as CheckReport;
}

/**
 * In a notebook: check the chapter's exercise and show the table of its public cases, filled in
 * row by row as they finish (printed line by line outside a notebook). Resolves to the report, which
 * the notebook prints as a one-line summary. Forgetting `await` is caught where it can be: the
 * pending promise, printed by the notebook, says to write `await check(...)`.
 * @param chapter number or slug: '01', 1, 'no-free-lunch'
 * @param options `hints: 'full'` for the fuller hints; `dir` for a file elsewhere
 * @throws RangeError naming the chapters there are, for an unknown chapter (at once, before any case runs)
 * @example await check("01")
 * @example await check("04", { hints: "full" })
 */
export function check(chapter: string | number, options: CheckOptions = {}): Promise<CheckReport> {
  const cases = chapterCases(chapter, 'check'); // an unknown chapter throws here, in the student's cell
  if (options.hints !== undefined) checkOneOf('hints', options.hints, HINT_LEVELS, 'check');
  const names = cases.publicCases.map((c) => c.name);
  const startedIn = currentCell()?.run;
  const file = path.join(options.dir ?? courseDir('exercises'), exerciseFileName(cases));
  const head = { chapter: cases.chapter, slug: cases.slug, file };
  const partial: ChapterReport = { ...head, compileErrors: [], results: [], score: 0, maxScore: 0, output: '', forgedLines: 0 };
  const live = showLive(reportHtml(partial, { pending: names, hints: options.hints }), headerText(head));
  const done: CaseResult[] = [];
  const promise = checkChapter(chapter, {
    ...options,
    onCase: (r, k) => {
      done[k] = r;
      options.onCase?.(r, k);
      const results = done.filter(Boolean);
      // Rows that did not run (the file does not compile) are printed with the errors, at the end.
      const text = r.status === 'compile-error' ? undefined : caseText(r, options).join('\n');
      live.update(reportHtml({ ...partial, results }, { pending: names, hints: options.hints }), text);
    },
  }, 'check').then((report) => {
    const late = startedIn !== undefined && currentCell()?.run !== startedIn;
    const text = reportText(report, options).split('\n');
    // Outside a notebook the rows are printed already: print what comes after them (compile errors come first).
    const rest = report.compileErrors.length ? text.slice(1) : text.slice(1 + report.results.flatMap((r) => caseText(r, options)).length);
    const note = late ? `<p style="color:#9a6700">check("${report.chapter}") finished after its cell: write <code>await check("${report.chapter}")</code> to see the results in the cell that asked.</p>` : '';
    live.update(note + reportHtml(report, options), rest.join('\n'));
    return withSummary(report);
  });
  // Printed by the notebook when the cell ends with check(...) without await.
  Object.defineProperty(promise, inspect.custom, {
    value: () => `check("${cases.chapter}") is still running: write await check("${cases.chapter}") to see its results in this cell`,
    enumerable: false,
  });
  return promise;
}
