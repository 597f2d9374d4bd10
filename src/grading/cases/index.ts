/**
 * Every chapter's cases, by chapter number. Adding a chapter's exercise = adding its cases file
 * here; the notebook's `check`, `nasbook check`, the tests and the grader all read this list.
 */
import type { ChapterCases } from '../types';
import { cases as noFreeLunch } from './01-no-free-lunch';
import { cases as grammars } from './02-grammars';
import { cases as evolution } from './03-evolution';
import { cases as banditsBo } from './04-bandits-bo';
import { cases as darts } from './05-darts';
import { cases as latency } from './06-latency';
import { cases as supernets } from './07-supernets';
import { cases as zeroCost } from './08-zero-cost';
import { cases as pareto } from './09-pareto';

export const chapters: readonly ChapterCases[] = [noFreeLunch, grammars, evolution, banditsBo, darts, latency, supernets, zeroCost, pareto];

/**
 * The cases of one chapter, by number ('01', '1', 1) or slug ('no-free-lunch').
 * @param caller the public function to name in the error (`check` when a student called it)
 * @throws RangeError naming the known chapters when there is no such chapter
 */
export function chapterCases(chapter: string | number, caller = 'chapterCases'): ChapterCases {
  const key = String(chapter).trim();
  const found = chapters.find(
    (c) => c.chapter === key || c.slug === key || `${c.chapter}-${c.slug}` === key || (/^\d+$/.test(key) && Number(c.chapter) === Number(key)),
  );
  if (!found) {
    const known = chapters.map((c) => `'${c.chapter}' (${c.slug})`).join(', ');
    throw new RangeError(`${caller}: 'chapter' must be one of ${known}, got ${JSON.stringify(chapter)}`);
  }
  return found;
}

/** The file name shared by the chapter's exercise and solution: `01-no-free-lunch.ts`. */
export function exerciseFileName(c: ChapterCases): string {
  return `${c.chapter}-${c.slug}.ts`;
}
