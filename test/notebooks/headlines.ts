/**
 * Headline assertions for notebooks: what a chapter claims, checked on the numbers it printed.
 *
 * For a notebook `NN-slug.ipynb`, the file `test/notebooks/headlines/NN-slug.ts` (when it exists)
 * exports `headlines(text)`. The notebook test executes the notebook, joins the text it printed and
 * calls `headlines` with it; the function parses the numbers with the helpers below and asserts the
 * chapter's results with `expect()` (values and directions within stated tolerances), so the test
 * fails when a result stops holding, not only when a line changes its format.
 */
import * as path from 'node:path';

/** What a headlines file exports. */
export interface Headlines {
  /** Asserts the chapter's results on the notebook's printed text; throws (via expect) when one fails. */
  headlines(text: string): void;
}

/** Folder of the headlines files. */
export const HEADLINES_DIR = path.join(__dirname, 'headlines');

/** The headlines file of a notebook: `01-no-free-lunch.ipynb` → `headlines/01-no-free-lunch.ts`. */
export function headlinesFileOf(notebook: string): string {
  return path.join(HEADLINES_DIR, `${path.basename(notebook, '.ipynb')}.ts`);
}

/** Parses one printed number: accepts a leading minus or the Unicode minus (−), and a trailing %. */
function toNumber(raw: string, pattern: RegExp): number {
  const value = Number(raw.replace('−', '-').replace(/%$/, ''));
  if (!Number.isFinite(value)) throw new Error(`headlines: ${pattern} captured '${raw}', which is not a number`);
  return value;
}

/**
 * The numbers captured by the first match of `pattern` in `text`, in group order.
 * @param text the notebook's printed text
 * @param pattern a regular expression whose capture groups each hold one number
 * @throws Error naming the pattern if the notebook printed no such line, or a group is not a number
 * @example numbers('regret after 100: BO 0.41 vs random 1.20', /BO ([\d.]+) vs random ([\d.]+)/) // [0.41, 1.2]
 */
export function numbers(text: string, pattern: RegExp): number[] {
  const match = new RegExp(pattern.source, pattern.flags.replace('g', '')).exec(text);
  if (!match) throw new Error(`headlines: the notebook printed no line matching ${pattern}`);
  if (match.length < 2) throw new Error(`headlines: ${pattern} has no capture group`);
  return match.slice(1).map((raw) => toNumber(raw, pattern));
}

/**
 * The numbers captured by every match of `pattern`, one array per match (for lines printed once per
 * strategy, seed or setting).
 * @throws Error naming the pattern if nothing matches
 * @example numbersAll('λ = 0: 12\nλ = 0.1: 7\n', /λ = ([\d.]+): (\d+)/) // [[0, 12], [0.1, 7]]
 */
export function numbersAll(text: string, pattern: RegExp): number[][] {
  const global = new RegExp(pattern.source, pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`);
  const rows = [...text.matchAll(global)].map((m) => m.slice(1).map((raw) => toNumber(raw, pattern)));
  if (rows.length === 0) throw new Error(`headlines: the notebook printed no line matching ${pattern}`);
  return rows;
}
