/**
 * `check`: a student's feedback loop. Runs a chapter's public cases on the student's exercise file
 * and shows which pass, with the failing input, the expected and the actual result.
 */
import * as path from 'node:path';
import { courseDir } from '../core/paths';
import { showHtml } from '../viz/notebook';
import { chapterCases, exerciseFileName } from './cases';
import { gradeFile } from './grade';
import { reportHtml, reportText, type ChapterReport } from './report';
import type { RunOptions } from './runner';

export interface CheckOptions extends RunOptions {
  /** The folder holding the file to check (default: the course's `exercises/`). */
  dir?: string;
}

/**
 * Run the public cases of `chapter` on `<dir>/NN-slug.ts` and return the report.
 * @throws RangeError for an unknown chapter
 */
export async function checkChapter(chapter: string | number, options: CheckOptions = {}): Promise<ChapterReport> {
  const cases = chapterCases(chapter);
  const file = path.join(options.dir ?? courseDir('exercises'), exerciseFileName(cases));
  const report = await gradeFile(file, cases.publicCases, options);
  return { ...report, chapter: cases.chapter, slug: cases.slug };
}

/**
 * In a notebook: check the chapter's exercise and display the result as a table (as text outside
 * a notebook). Resolves to nothing, so the notebook shows the table alone; `checkChapter` returns
 * the report as data.
 * @example await check("01")
 */
export async function check(chapter: string | number, options: CheckOptions = {}): Promise<void> {
  const report = await checkChapter(chapter, options);
  showHtml(reportHtml(report), reportText(report));
}
