/**
 * The class grader end to end on a small class: formats of grades.csv and Gradescope's
 * results.json, shards that merge into the whole, zips, and clear errors for bad input.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { gradeClass, type Gradebook } from '../../src/grading/gradebook';
import { gradescopeResults, gradesCsv, mergeGradebooks, readGradebook, writeGradebook } from '../../src/grading/gradebookFiles';
import { findSubmissions, unpackZip } from '../../src/grading/submissions';

const root = packageRoot();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-gradebook-'));
const klass = path.join(scratch, 'class');
const SEED = 'instructor-secret-42';
const chapters = ['01', '02'];

function put(student: string, rel: string, from: string): void {
  const to = path.join(klass, student, rel);
  fs.mkdirSync(path.dirname(to), { recursive: true });
  fs.copyFileSync(path.join(root, from), to);
}

let whole: Gradebook;

beforeAll(async () => {
  put('ada', 'exercises/01-no-free-lunch.ts', 'solutions/01-no-free-lunch.ts');
  put('ada', 'exercises/02-grammars.ts', 'solutions/02-grammars.ts');
  put('bo', 'exercises/01-no-free-lunch.ts', 'exercises/01-no-free-lunch.ts'); // untouched stub
  put('cy', '02-grammars.ts', 'solutions/02-grammars.ts'); // flat, as Gradescope uploads
  // dee hands in a zip holding the solved chapter 01 inside a folder
  const zip = new AdmZip();
  zip.addFile('work/exercises/01-no-free-lunch.ts', fs.readFileSync(path.join(root, 'solutions/01-no-free-lunch.ts')));
  zip.writeZip(path.join(klass, 'dee.zip'));
  whole = await gradeClass(klass, { seed: SEED, jobs: 2, chapters });
}, 300_000);
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('gradeClass', () => {
  it('grades every student, chapter by chapter, with public and hidden cases', () => {
    expect(whole.students.map((s) => s.student)).toEqual(['ada', 'bo', 'cy', 'dee']);
    const max = whole.chapters.reduce((t, c) => t + c.max, 0);
    const [ada, bo, cy, dee] = whole.students;
    expect(ada.total).toBe(max);
    expect(bo.total).toBe(0);
    expect(bo.flags.missing).toBe(true); // no chapter 02 file
    expect(bo.chapters[0].hidden.causes.join()).toMatch(/not done/);
    expect(cy.chapters[1].score).toBe(whole.chapters[1].max);
    expect(cy.chapters[0].file).toBeNull();
    expect(dee.chapters[0].score).toBe(whole.chapters[0].max);
    for (const c of ada.chapters) expect(c.hidden.total).toBeGreaterThanOrEqual(5);
  });

  it('records a fingerprint of the seed, never the seed itself', () => {
    const dir = path.join(scratch, 'out-whole');
    writeGradebook(whole, dir);
    for (const file of walk(dir)) expect(fs.readFileSync(file, 'utf8')).not.toContain(SEED);
    expect(whole.seedFingerprint).toMatch(/^[0-9a-f]{16}$/);
  });

  it('writes grades.csv with one row per student: points per chapter, total, max and flags', () => {
    const lines = gradesCsv(whole).trim().split('\n').map((l) => l.split(','));
    expect(lines[0]).toEqual(['student', '01-no-free-lunch', '02-grammars', 'total', 'max', 'timeout', 'crash', 'compile_error', 'missing', 'tamper', 'library', 'problem']);
    expect(lines).toHaveLength(5);
    for (const row of lines.slice(1)) {
      expect(row).toHaveLength(12);
      expect(Number(row[1]) + Number(row[2])).toBe(Number(row[3]));
      for (const flag of row.slice(5, 11)) expect(['0', '1']).toContain(flag);
      expect(row[11]).toBe('');
    }
    expect(lines.find((r) => r[0] === 'bo')![8]).toBe('1');
  });

  it("writes Gradescope's results.json: tests with score, max_score, visibility and output; hidden cases as counts", () => {
    for (const s of whole.students) {
      const r = gradescopeResults(s);
      expect(r.score).toBe(s.total);
      const sum = r.tests.reduce((t, x) => t + x.score, 0);
      const maxSum = r.tests.reduce((t, x) => t + x.max_score, 0);
      expect(sum).toBe(s.total);
      expect(maxSum).toBe(s.max);
      for (const t of r.tests) {
        expect(Object.keys(t).sort()).toEqual(['max_score', 'name', 'output', 'output_format', 'score', 'visibility']);
        expect(t.output_format).toBe('text');
        expect(['hidden', 'after_due_date', 'after_published', 'visible']).toContain(t.visibility);
        expect(typeof t.output).toBe('string');
        expect(t.score).toBeGreaterThanOrEqual(0);
        expect(t.score).toBeLessThanOrEqual(t.max_score);
      }
      const hidden = r.tests.filter((t) => t.name.endsWith('hidden cases'));
      expect(hidden).toHaveLength(chapters.length);
      for (const h of hidden) expect(h.output).toMatch(/^\d+ of \d+ hidden cases passed/);
    }
  });

  it('writes feedback.md per student without hidden inputs', () => {
    const dir = path.join(scratch, 'out-feedback');
    writeGradebook(whole, dir);
    const bo = fs.readFileSync(path.join(dir, 'students', 'bo', 'feedback.md'), 'utf8');
    expect(bo).toContain('# Feedback for bo');
    expect(bo).toMatch(/Hidden cases: 0 of \d+ passed/);
    expect(bo).toContain('No file `02-grammars.ts` was found');
    const hiddenArgs = whole.students[1].chapters[0].publicResults.length; // public ones are listed
    expect(hiddenArgs).toBeGreaterThan(0);
  });

  it('shards graded apart merge into the same gradebook as grading the class at once', async () => {
    const parts = await Promise.all([1, 2].map((index) => gradeClass(klass, { seed: SEED, jobs: 1, chapters, shard: { index, count: 2 } })));
    expect(parts[0].students.map((s) => s.student)).toEqual(['ada', 'cy']);
    expect(parts[1].students.map((s) => s.student)).toEqual(['bo', 'dee']);
    const dirs = parts.map((p, i) => {
      const d = path.join(scratch, `shard-${i + 1}`);
      writeGradebook(p, d);
      return d;
    });
    const merged = mergeGradebooks(dirs.map(readGradebook));
    expect(merged.students.map((s) => [s.student, s.total, s.flags])).toEqual(whole.students.map((s) => [s.student, s.total, s.flags]));
    expect(() => mergeGradebooks([parts[0], parts[0]])).toThrow(/student "ada" appears in more than one gradebook/);
    expect(() => mergeGradebooks([parts[0], { ...parts[1], seedFingerprint: 'f'.repeat(16) }])).toThrow(/different seeds/);
  }, 300_000);
});

describe('bad input', () => {
  function cli(args: string[]) {
    return spawnSync(process.execPath, [path.join(root, 'bin', 'nasbook.js'), ...args], { encoding: 'utf8', timeout: 120_000 });
  }

  it('a submissions folder that does not exist', async () => {
    await expect(gradeClass(path.join(scratch, 'nope'), { seed: SEED })).rejects.toThrow(/grade: 'submissions' must be an existing folder, got ".*nope"/);
    const r = cli(['grade', path.join(scratch, 'nope'), '--out', path.join(scratch, 'o1'), '--seed', SEED]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/'submissions' must be an existing folder/);
    expect(fs.existsSync(path.join(scratch, 'o1'))).toBe(false);
  });

  it('a zip with a path that escapes its folder is refused before anything is written', () => {
    const evil = path.join(scratch, 'evil-class');
    fs.mkdirSync(evil);
    const zip = new AdmZip();
    zip.addFile('exercises/01-no-free-lunch.ts', Buffer.from('export {};'));
    zip.addFile('x/../../escaped.ts', Buffer.from('pwned'));
    // adm-zip normalises names on add; write the raw entry name the attacker would use
    zip.getEntries()[1].entryName = '../../escaped.ts';
    zip.writeZip(path.join(evil, 'mallory.zip'));
    const target = path.join(scratch, 'unzip-target');
    expect(() => unpackZip(path.join(evil, 'mallory.zip'), target)).toThrow(/holds a path that escapes its folder: "\.\.\/\.\.\/escaped\.ts"/);
    expect(fs.existsSync(target)).toBe(false);
    expect(fs.existsSync(path.join(scratch, 'escaped.ts'))).toBe(false);
    // In a class, the zip is a row that says why it was not graded; it does not stop the class.
    const [flagged] = findSubmissions(evil, path.join(scratch, 'work'));
    expect(flagged).toMatchObject({ student: 'mallory', problem: { code: 'zip-unsafe-path', message: expect.stringMatching(/escapes its folder/) } });
  });

  it('an unknown chapter', async () => {
    await expect(gradeClass(klass, { seed: SEED, chapters: ['42'] })).rejects.toThrow(/'chapter' must be one of '01'/);
  });

  it('--jobs 0, a bad shard, and no seed', () => {
    const out = path.join(scratch, 'o2');
    const jobs = cli(['grade', klass, '--out', out, '--seed', SEED, '--jobs', '0']);
    expect(jobs.status).not.toBe(0);
    expect(jobs.stderr).toMatch(/'--jobs' must be an integer >= 1, got "0"/);
    const shard = cli(['grade', klass, '--out', out, '--seed', SEED, '--shard', '3/2']);
    expect(shard.stderr).toMatch(/grade: '--shard' must be i\/n with 1 <= i <= n \(e\.g\. '1\/4'\), got "3\/2"/);
    const seed = spawnSync(process.execPath, [path.join(root, 'bin', 'nasbook.js'), 'grade', klass, '--out', out], { encoding: 'utf8', env: { PATH: process.env.PATH } });
    expect(seed.stderr).toMatch(/give the instructor's secret seed/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

function walk(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : [path.join(dir, e.name)]));
}
