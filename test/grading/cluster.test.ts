/**
 * The cluster examples (examples/grading/): a Slurm array job and a GitHub Actions matrix workflow,
 * each grading shards of a class and merging them. Both are run here as written: the Slurm script
 * with the variables Slurm sets, one process per array task, all at once; the workflow's own `run:`
 * lines with the matrix values put in, all shards at once. Their merged gradebook must equal the
 * gradebook of grading the class in one run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import type { Gradebook } from '../../src/grading/gradebook';

const root = packageRoot();
const examples = path.join(root, 'examples', 'grading');
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-cluster-'));
const klass = path.join(scratch, 'submissions');
const nasbook = `${JSON.stringify(process.execPath)} ${JSON.stringify(path.join(root, 'bin', 'nasbook.js'))}`;
const SEED = 'cluster-example-seed';
const FILE = '01-no-free-lunch.ts';

/** Run a shell command line in `cwd` with `env`; resolves to its exit code and output. */
function sh(command: string, cwd: string, env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn('bash', ['-c', command], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
}

/** What must agree between two gradebooks of one class: every student's points and flags, per chapter. */
function verdicts(g: Gradebook): unknown {
  return { seed: g.seedFingerprint, chapters: g.chapters, students: g.students.map((s) => [s.student, s.total, s.flags, s.chapters.map((c) => [c.chapter, c.score])]) };
}

function readBook(dir: string): Gradebook {
  return JSON.parse(fs.readFileSync(path.join(dir, 'gradebook.json'), 'utf8')) as Gradebook;
}

/** The `run:` line of the workflow step named `name`. */
function runLine(workflow: string, name: string): string {
  const at = workflow.indexOf(`- name: ${name}`);
  expect(at, `the workflow has a step '${name}'`).toBeGreaterThanOrEqual(0);
  const m = /\n\s+run: (.+)\n/.exec(workflow.slice(at));
  return m![1];
}

let reference: Gradebook;

beforeAll(async () => {
  // Seven students: the reference solution, and ones with a function left as a TODO stub.
  const solution = fs.readFileSync(path.join(root, 'solutions', FILE), 'utf8');
  const stub = solution.replace(/export function countTasks\([^)]*\): number \{/, '$&\n  throw new Error("TODO: countTasks");');
  for (let i = 1; i <= 7; i++) {
    const dir = path.join(klass, `student-${i}`, 'exercises');
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, FILE), i % 3 === 0 ? stub : solution);
  }
  const whole = await sh(`${nasbook} grade submissions --out whole --chapters 01 --jobs 1`, scratch, { NASBOOK_SEED: SEED });
  expect(whole.code, whole.output).toBe(0);
  reference = readBook(path.join(scratch, 'whole'));
}, 600_000);

afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

describe('cluster examples', () => {
  it('the class graded at once has full and partial marks (the comparison below means something)', () => {
    const totals = reference.students.map((s) => s.total);
    expect(new Set(totals).size).toBe(2);
    expect(reference.students).toHaveLength(7);
  });

  it('the Slurm array job: three tasks at once, then the merge, give the same gradebook', async () => {
    // The script splits $NASBOOK into words, as it does `npx nasbook`: no shell quotes in it.
    const env = { NASBOOK_SEED: SEED, NASBOOK: `${process.execPath} ${path.join(root, 'bin', 'nasbook.js')}`, NASBOOK_CHAPTERS: '01', OUT: 'slurm', SLURM_ARRAY_TASK_COUNT: '3', SLURM_CPUS_PER_TASK: '1' };
    const script = path.join(examples, 'slurm-grade.sh');
    const tasks = await Promise.all([1, 2, 3].map((i) => sh(`bash ${JSON.stringify(script)}`, scratch, { ...env, SLURM_ARRAY_TASK_ID: String(i) })));
    for (const t of tasks) expect(t.code, t.output).toBe(0);
    const merge = await sh(`bash ${JSON.stringify(script)} merge`, scratch, env);
    expect(merge.code, merge.output).toBe(0);
    const parts = [1, 2, 3].map((i) => readBook(path.join(scratch, 'slurm', `part-${i}`)).students.length);
    expect(parts).toEqual([3, 2, 2]);
    expect(verdicts(readBook(path.join(scratch, 'slurm', 'gradebook')))).toEqual(verdicts(reference));
  }, 600_000);

  it("the GitHub Actions matrix: the workflow's own commands, four shards at once, then the merge, give the same gradebook", async () => {
    const workflow = fs.readFileSync(path.join(examples, 'github-actions-grade.yml'), 'utf8');
    expect(workflow).toMatch(/shard: \[1, 2, 3, 4\]/);
    expect(workflow).toMatch(/needs: grade/);
    const npx = (line: string) => line.replace(/npx nasbook/g, nasbook);
    const grade = npx(runLine(workflow, 'grade shard'));
    const merge = npx(runLine(workflow, 'merge the shards'));
    const dir = path.join(scratch, 'actions');
    fs.mkdirSync(dir);
    fs.symlinkSync(klass, path.join(dir, 'submissions'));
    const shards = await Promise.all([1, 2, 3, 4].map((i) => sh(grade.replace(/\$\{\{ matrix\.shard \}\}/g, String(i)), dir, { NASBOOK_SEED: SEED, SHARDS: '4', CHAPTERS: '01' })));
    for (const s of shards) expect(s.code, s.output).toBe(0);
    const merged = await sh(merge, dir, {});
    expect(merged.code, merged.output).toBe(0);
    expect(verdicts(readBook(path.join(dir, 'gradebook')))).toEqual(verdicts(reference));
  }, 600_000);
});
