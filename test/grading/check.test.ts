/**
 * check(): feedback that teaches. Each scenario is a student's file written into a temporary
 * folder (the reference solution with one mistake) and checked as a student checks it.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { inspect } from 'node:util';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { chapters } from '../../src/grading/cases';
import { check, checkChapter } from '../../src/grading/check';
import { reportHtml, reportText } from '../../src/grading/report';

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-check-'));
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));
afterEach(() => vi.restoreAllMocks());

const solution03 = fs.readFileSync(path.join(packageRoot(), 'solutions', '03-evolution.ts'), 'utf8');

/** A folder holding the chapter 03 solution with `from` replaced by `to` (which must occur). */
function studentWith(name: string, from: string, to: string): string {
  expect(solution03).toContain(from);
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  fs.writeFileSync(path.join(dir, '03-evolution.ts'), solution03.replace(from, to));
  return dir;
}

/** The 1-based line of `text` in the student's file. */
function lineOf(dir: string, text: string): number {
  return fs.readFileSync(path.join(dir, '03-evolution.ts'), 'utf8').split('\n').findIndex((l) => l.includes(text)) + 1;
}

describe('check() feedback', () => {
  it('shows a type error once, at its line and column with the line itself, and every case as not run', async () => {
    const dir = studentWith('type-error', 'return accuracy - lambda * complexity;', 'return `${accuracy}`;');
    const report = await checkChapter('03', { dir });
    const text = reportText(report);
    const line = lineOf(dir, 'return `${accuracy}`;');
    expect(report.compileErrors).toHaveLength(1);
    expect(text.match(/not assignable to type 'number'/g)).toHaveLength(1);
    expect(text).toContain(`03-evolution.ts:${line}:3  Type 'string' is not assignable to type 'number'.`);
    expect(text).toContain(`${line} |   return \`\${accuracy}\`;`); // the student's line, under the error
    const rows = text.split('\n').filter((l) => /^\s+(PASS|FAIL|----)\s/.test(l));
    expect(rows).toHaveLength(report.results.length);
    for (const row of rows) expect(row).toMatch(/^\s+----\s.*\[0\/\d+\]\s+not run$/);
    const html = reportHtml(report);
    expect(html.match(/not assignable to type/g)).toHaveLength(1);
    expect(html).toContain(`03-evolution.ts:${line}:3`);
  }, 120_000);

  it("shows a runtime error with the line of the student's file it was thrown at", async () => {
    const dir = studentWith('runtime-error', '  let winner = contestants[0];', '  let winner = contestants[0];\n  if (contestants.length > 1) throw new RangeError(`no ${scores.length}`);');
    const report = await checkChapter('03', { dir });
    const failing = report.results.filter((r) => r.fn === 'tournamentWinner' && r.status === 'error');
    expect(failing.length).toBeGreaterThan(0);
    const line = lineOf(dir, 'throw new RangeError');
    for (const r of failing) {
      expect(r.where).toBe(`${path.join(dir, '03-evolution.ts')}:${line}:37`);
      expect(r.line).toBe('if (contestants.length > 1) throw new RangeError(`no ${scores.length}`);');
    }
    expect(reportText(report)).toContain(`at       ${path.join(dir, '03-evolution.ts')}:${line}:37   if (contestants.length > 1)`);
  }, 120_000);

  it('fails a case whose contract forbids changing the input when the code changes it, even with the right value', async () => {
    // agingStep that returns the right population but empties the one it was given.
    const dir = studentWith(
      'mutates',
      '  const next = [...population, child];',
      '  const next = [...population, child];\n  population.splice(0, population.length);',
    );
    const report = await checkChapter('03', { dir });
    const aging = report.results.filter((r) => r.fn === 'agingStep');
    const nonEmpty = aging.filter((r) => (r.args[0] as unknown[]).length > 0);
    expect(nonEmpty.length).toBeGreaterThan(0);
    for (const r of nonEmpty) {
      expect(r.status).toBe('fail');
      expect(r.message).toMatch(/^changed its argument 1, which it must leave as it was/);
    }
    // The empty population is left as it was: that case passes.
    expect(aging.filter((r) => (r.args[0] as unknown[]).length === 0).every((r) => r.status === 'pass')).toBe(true);
    // The solution itself passes every flagged case.
    const clean = await checkChapter('03', { dir: path.join(packageRoot(), 'solutions') });
    expect(clean.results.filter((r) => r.status !== 'pass')).toEqual([]);
  }, 120_000);

  it('reports each case as it finishes, in order, and prints the rows as they come outside a notebook', async () => {
    const seen: number[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const report = await check('01', { onCase: (_r, k) => seen.push(k) });
    expect(seen).toEqual(report.results.map((_r, k) => k));
    const printed = log.mock.calls.map((c) => String(c[0]));
    expect(printed[0]).toMatch(/^Chapter 01 \(no-free-lunch\): /);
    // One printed row per case, before the summary line, which comes last.
    expect(printed.slice(1, 1 + report.results.length).every((l) => /^\s+FAIL\s/.test(l))).toBe(true);
    expect(printed.at(-1)).toMatch(/0 of \d+ cases pass/);
    // What a notebook prints for the awaited value: one summary line.
    expect(inspect(report)).toMatch(/^Chapter 01 \(no-free-lunch\): 0 of \d+ cases pass, 0\/\d+ points$/);
  }, 120_000);

  it('says to await when the promise itself is printed (check without await)', async () => {
    vi.spyOn(console, 'log').mockImplementation(() => undefined);
    const pending = check('01');
    expect(inspect(pending)).toBe('check("01") is still running: write await check("01") to see its results in this cell');
    await pending;
  }, 120_000);

  it('names the chapters there are for an unknown chapter, blaming check, before anything runs', () => {
    expect(() => check('99')).toThrow(/^check: 'chapter' must be one of '01' \(no-free-lunch\), '02' \(grammars\), '03' \(evolution\), '04' \(bandits-bo\)/);
    expect(() => check('01', { hints: 'all' as never })).toThrow(/^check: 'hints' must be one of/);
  });

  it('gives no hint for a stub not written yet, the nudge for a wrong answer, the fuller hint only on request', async () => {
    const todo = await checkChapter('03');
    expect(reportText(todo)).not.toMatch(/hint/);
    const dir = studentWith('wrong', 'return accuracy - lambda * complexity;', 'return accuracy + lambda * complexity;');
    const wrong = await checkChapter('03', { dir });
    const fitness = wrong.results.find((r) => r.fn === 'penalizedFitness' && r.status === 'fail')!;
    const nudged = reportText(wrong);
    expect(nudged).toContain(`hint     ${fitness.hint}`);
    expect(nudged).not.toContain(fitness.fullHint!);
    expect(nudged).toContain('More help: check("03", { hints: "full" })');
    const full = reportText(wrong, { hints: 'full' });
    expect(full).toContain(`more     ${fitness.fullHint}`);
  }, 120_000);

  it('has hints in two levels that never dictate code', () => {
    const code = /Math\.\w|\.\w+\(|=>|===|!==|\bconst |\blet |\breturn \w+\[/;
    for (const chapter of chapters) {
      for (const c of chapter.publicCases) {
        expect(c.hint, `${chapter.chapter} ${c.name}`).not.toMatch(code);
        if (c.fullHint) expect(c.fullHint, `${chapter.chapter} ${c.name}`).not.toMatch(code);
        if (c.fullHint) expect(c.fullHint.length, `${chapter.chapter} ${c.name}: the fuller hint says more`).toBeGreaterThan(c.hint.length);
      }
    }
  });
});
