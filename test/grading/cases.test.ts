/**
 * The chapters' cases against the reference solutions (every case passes, public and hidden)
 * and against the untouched exercise stubs (every case fails with its TODO message, so a stub can
 * never pass by accident).
 */
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseDir } from '../../src/core/paths';
import { chapters, exerciseFileName, gradeFile, hiddenCases } from '../../src/grading';

describe.each(chapters.map((c) => [`${c.chapter}-${c.slug}`, c] as const))('chapter %s', (_name, chapter) => {
  const solution = path.join(courseDir('solutions'), exerciseFileName(chapter));
  const exercise = path.join(courseDir('exercises'), exerciseFileName(chapter));

  it('has well-formed cases: unique names, known functions, positive points, hints', () => {
    const names = chapter.publicCases.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    expect(chapter.publicCases.length).toBeGreaterThanOrEqual(chapter.functions.length);
    for (const c of chapter.publicCases) {
      expect(chapter.functions).toContain(c.fn);
      expect(c.points).toBeGreaterThan(0);
      expect(c.hint.length).toBeGreaterThan(10);
    }
    // Every function a student writes is exercised by at least one public case.
    for (const fn of chapter.functions) expect(chapter.publicCases.some((c) => c.fn === fn), fn).toBe(true);
  });

  it('the reference solution passes every public case', async () => {
    const report = await gradeFile(solution, chapter.publicCases);
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.message}`)).toEqual([]);
    expect(report.score).toBe(report.maxScore);
  });

  it('hidden cases are drawn from the seed: same seed, same cases; another seed, other cases', async () => {
    const a = await hiddenCases(chapter, 'instructor-seed-1');
    const b = await hiddenCases(chapter, 'instructor-seed-1');
    const c = await hiddenCases(chapter, 'instructor-seed-2');
    expect(a.length).toBeGreaterThanOrEqual(5);
    expect(b).toEqual(a);
    expect(c.map((x) => x.args)).not.toEqual(a.map((x) => x.args));
    for (const h of a) expect(chapter.functions).toContain(h.fn);
    const report = await gradeFile(solution, a);
    expect(report.score).toBe(report.maxScore);
  });

  it('the untouched exercise compiles and fails every case with its TODO message', async () => {
    const report = await gradeFile(exercise, chapter.publicCases);
    expect(report.compileErrors).toEqual([]);
    expect(report.score).toBe(0);
    for (const r of report.results) {
      expect(r.status, r.name).toBe('todo');
      expect(r.message).toMatch(/^TODO/);
    }
  });
});
