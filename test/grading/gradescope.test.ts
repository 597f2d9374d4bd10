/**
 * The Gradescope bundle: its files and modes, the seed kept in its own file, the zip to upload,
 * setup.sh's Node.js logic (with stand-in node/npm/apt-get), and run_autograder rehearsed on a
 * simulated /autograder layout against the repository's built course.
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { chapters as allChapters } from '../../src/grading/cases';
import { BUNDLE_SEED_FILE, writeGradescopeBundle, type GradescopeBundle } from '../../src/grading/gradescope';

const root = packageRoot();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-gradescope-'));
// Assembled at run time, so this test file (bundled in course/test/) does not hold it verbatim.
const SEED = ["gradescope's", 'secret', String(6 + 1)].join(' ');
/** Gradescope unpacks the upload into /autograder/source: the bundle is built straight there. */
const autograder = path.join(scratch, 'autograder');
const source = path.join(autograder, 'source');
let bundle: GradescopeBundle;

beforeAll(() => {
  bundle = writeGradescopeBundle(source, { seed: SEED, chapters: ['no-free-lunch'] });
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

function mode(file: string): number {
  return fs.statSync(file).mode & 0o777;
}

function listFiles(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((f) => fs.statSync(path.join(dir, f)).isFile()).map((f) => f.split(path.sep).join('/')).sort();
}

describe('writeGradescopeBundle: files', () => {
  it('writes setup.sh and run_autograder (executable), the seed (private) and the course', () => {
    expect(bundle.dir).toBe(fs.realpathSync(source));
    expect(bundle.chapters).toEqual(['01']);
    expect(bundle.zip).toBe(path.join(bundle.dir, 'autograder.zip'));
    expect(fs.readdirSync(source).sort()).toEqual(['README.md', 'autograder.zip', 'course', 'run_autograder', 'seed.txt', 'setup.sh']);
    expect(mode(path.join(source, 'setup.sh'))).toBe(0o755);
    expect(mode(path.join(source, 'run_autograder'))).toBe(0o755);
    expect(mode(path.join(source, BUNDLE_SEED_FILE))).toBe(0o600);
    expect(mode(path.join(source, 'autograder.zip'))).toBe(0o600);
    expect(mode(source)).toBe(0o700);
    expect(fs.readFileSync(path.join(source, BUNDLE_SEED_FILE), 'utf8')).toBe(`${SEED}\n`);
    for (const script of ['setup.sh', 'run_autograder']) {
      const text = fs.readFileSync(path.join(source, script), 'utf8');
      expect(text.startsWith('#!/usr/bin/env bash\n')).toBe(true);
      const syntax = spawnSync('bash', ['-n', path.join(source, script)], { encoding: 'utf8' });
      expect(syntax.stderr).toBe('');
      expect(syntax.status).toBe(0);
    }
    expect(bundle.files).toEqual(listFiles(source).filter((f) => f !== 'autograder.zip'));
  });

  it('bundles the whole course with its solutions, without history, installs or builds', () => {
    const course = path.join(source, 'course');
    for (const name of ['solutions', 'exercises', 'src', 'notebooks', 'data', 'bin', 'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json']) {
      expect(fs.existsSync(path.join(course, name)), name).toBe(true);
    }
    for (const name of ['.git', 'node_modules', 'dist', 'dist-bench', 'test-results']) expect(fs.existsSync(path.join(course, name)), name).toBe(false);
    for (const f of listFiles(path.join(root, 'solutions'))) {
      expect(fs.readFileSync(path.join(course, 'solutions', f), 'utf8')).toBe(fs.readFileSync(path.join(root, 'solutions', f), 'utf8'));
    }
    // package.json is the instructor's own, untrimmed (the bundle runs the grader, not a student's scripts)
    expect(fs.readFileSync(path.join(course, 'package.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
    expect(mode(path.join(course, 'bin', 'nasbook.js')) & 0o111).not.toBe(0);
  });

  it('keeps the seed in its own file: no other file of the bundle holds it', () => {
    const holders = bundle.files.filter((f) => fs.readFileSync(path.join(source, f), 'utf8').includes(SEED));
    expect(holders).toEqual([BUNDLE_SEED_FILE]);
  });

  it('grades only the chosen chapters, and looks for their files', () => {
    const run = fs.readFileSync(path.join(source, 'run_autograder'), 'utf8');
    expect(run).toContain("chapters='01'\n");
    expect(run).toContain("files=('01-no-free-lunch.ts')\n");
    const all = writeGradescopeBundle(path.join(scratch, 'all'), { seed: SEED, zip: false });
    expect(all.zip).toBeNull();
    expect(fs.existsSync(path.join(scratch, 'all', 'autograder.zip'))).toBe(false);
    expect(all.chapters).toEqual(allChapters.map((c) => c.chapter));
    const runAll = fs.readFileSync(path.join(scratch, 'all', 'run_autograder'), 'utf8');
    expect(runAll).toContain(`chapters='${allChapters.map((c) => c.chapter).join(',')}'\n`);
    expect(runAll).toContain(`files=(${allChapters.map((c) => `'${c.chapter}-${c.slug}.ts'`).join(' ')})\n`);
  });

  it('zips every file with setup.sh and run_autograder at the root, modes kept', () => {
    const zip = new AdmZip(bundle.zip!);
    const entries = zip.getEntries().filter((e) => !e.isDirectory);
    expect(entries.map((e) => e.entryName).sort()).toEqual(bundle.files);
    const byName = new Map(entries.map((e) => [e.entryName, e]));
    expect((byName.get('setup.sh')!.attr >>> 16) & 0o777).toBe(0o755);
    expect((byName.get('run_autograder')!.attr >>> 16) & 0o777).toBe(0o755);
    expect(byName.get(BUNDLE_SEED_FILE)!.getData().toString('utf8')).toBe(`${SEED}\n`);
    expect(byName.get('course/solutions/01-no-free-lunch.ts')!.getData().equals(fs.readFileSync(path.join(root, 'solutions', '01-no-free-lunch.ts')))).toBe(true);
  });
});

describe('writeGradescopeBundle: errors', () => {
  it('names the bad argument', () => {
    const out = path.join(scratch, 'bad');
    expect(() => writeGradescopeBundle(out, { seed: '' })).toThrow("writeGradescopeBundle: 'seed' must be a non-empty string, got \"\"");
    expect(() => writeGradescopeBundle(out, { seed: 'two\nlines' })).toThrow(/'seed' must be one line without control characters/);
    expect(() => writeGradescopeBundle(out, { seed: 's', chapters: ['42'] })).toThrow(/'chapter' must be one of '01' \(no-free-lunch\)/);
    expect(() => writeGradescopeBundle(out, { seed: 's', chapters: [] })).toThrow(/'chapters' must have at least 1 item, got an empty array/);
    expect(() => writeGradescopeBundle(out, undefined as never)).toThrow(/'options' must be an object with a 'seed'/);
    expect(() => writeGradescopeBundle(path.join(root, 'gradescope'), { seed: 's' })).toThrow(/'outDir' must be outside the course folder/);
    expect(() => writeGradescopeBundle(source, { seed: 's' })).toThrow(/'outDir' .* is not empty .*; set 'force'/);
    expect(fs.existsSync(out)).toBe(false);
    expect(fs.existsSync(path.join(root, 'gradescope'))).toBe(false);
  });

  it('needs the solutions of the chapters it grades', () => {
    const course = path.join(scratch, 'no-solutions');
    fs.mkdirSync(course);
    fs.writeFileSync(path.join(course, 'package.json'), '{"name": "nasbook"}');
    expect(() => writeGradescopeBundle(path.join(scratch, 'out-ns'), { seed: 's', courseRoot: course })).toThrow(/needs the reference solution .*01-no-free-lunch\.ts/);
  });

  it('with force, replaces an older bundle', () => {
    const out = path.join(scratch, 'again');
    writeGradescopeBundle(out, { seed: 'old seed', zip: false });
    writeGradescopeBundle(out, { seed: 'new seed', zip: false, force: true });
    expect(fs.readFileSync(path.join(out, BUNDLE_SEED_FILE), 'utf8')).toBe('new seed\n');
  });
});

describe('setup.sh', () => {
  /** Runs setup.sh with stand-ins for node, npm and apt-get that log their calls. */
  function runSetup(major: number, majorAfterApt: number) {
    const fake = fs.mkdtempSync(path.join(scratch, 'fakebin-'));
    const log = path.join(fake, 'calls.log');
    const state = path.join(fake, 'major');
    fs.writeFileSync(state, String(major));
    const script = (body: string) => `#!/usr/bin/env bash\n${body}\n`;
    fs.writeFileSync(path.join(fake, 'node'), script(`if [ "$1" = "--version" ]; then echo "v$(cat '${state}').0.0"; else cat '${state}'; fi`), { mode: 0o755 });
    fs.writeFileSync(path.join(fake, 'npm'), script(`echo "npm $* in $PWD" >> '${log}'`), { mode: 0o755 });
    fs.writeFileSync(path.join(fake, 'apt-get'), script(`echo "apt-get $*" >> '${log}'; [ "$1" = install ] && echo ${majorAfterApt} > '${state}'; exit 0`), { mode: 0o755 });
    const r = spawnSync('bash', [path.join(source, 'setup.sh')], { encoding: 'utf8', env: { PATH: `${fake}:/usr/bin:/bin` } });
    const calls = fs.existsSync(log) ? fs.readFileSync(log, 'utf8').trim().split('\n') : [];
    return { status: r.status, stderr: r.stderr, calls };
  }
  const course = () => fs.realpathSync(path.join(source, 'course'));

  it('uses a node 20+ the image has, then installs the locked packages and builds', () => {
    const r = runSetup(20, 20);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual([`npm ci --ignore-scripts --no-audit --no-fund in ${course()}`, `npm run build in ${course()}`]);
  });

  it("installs the distribution's nodejs and npm when the image's node is older", () => {
    const r = runSetup(12, 20);
    expect(r.status).toBe(0);
    expect(r.calls).toEqual(['apt-get update', 'apt-get install -y nodejs npm', `npm ci --ignore-scripts --no-audit --no-fund in ${course()}`, `npm run build in ${course()}`]);
  });

  it('stops with a clear message when the distribution has no Node.js 20', () => {
    const r = runSetup(12, 18);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("setup.sh: nasbook's grader needs Node.js 20 or newer; this image has v18.0.0.");
    expect(r.calls).toEqual(['apt-get update', 'apt-get install -y nodejs npm']);
  });
});

describe('run_autograder on a simulated Gradescope layout', () => {
  /** Runs the bundle's run_autograder on `files` (relative path -> repository file), against the built course. */
  function rehearse(name: string, files: Record<string, string>, course = root) {
    const ag = path.join(scratch, name);
    fs.mkdirSync(ag);
    fs.symlinkSync(source, path.join(ag, 'source'));
    for (const [rel, from] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(ag, 'submission', rel)), { recursive: true });
      fs.copyFileSync(path.join(root, from), path.join(ag, 'submission', rel));
    }
    const r = spawnSync('bash', [path.join(source, 'run_autograder')], {
      encoding: 'utf8',
      cwd: ag,
      timeout: 240_000,
      env: { PATH: process.env.PATH, HOME: scratch, AUTOGRADER_ROOT: ag, NASBOOK_COURSE: course, NASBOOK_NODE: process.execPath },
    });
    const resultsFile = path.join(ag, 'results', 'results.json');
    const results = fs.existsSync(resultsFile)
      ? (JSON.parse(fs.readFileSync(resultsFile, 'utf8')) as { score: number; output: string; tests: { name: string; score: number; max_score: number; visibility: string }[] })
      : null;
    return { status: r.status, stdout: r.stdout, stderr: r.stderr, results };
  }

  it('grades a solved file uploaded flat: full marks, public and hidden tests', () => {
    // a stale stub deeper down must not be taken instead of the file at the top
    const r = rehearse('solved', { '01-no-free-lunch.ts': 'solutions/01-no-free-lunch.ts', 'old/01-no-free-lunch.ts': 'exercises/01-no-free-lunch.ts' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('run_autograder: grading 01-no-free-lunch.ts\n');
    expect(r.results).not.toBeNull();
    const tests = r.results!.tests;
    expect(tests.length).toBeGreaterThan(2);
    for (const t of tests) expect(t.name).toMatch(/^01 /);
    expect(tests.filter((t) => t.name === '01 hidden cases')).toHaveLength(1);
    const max = tests.reduce((s, t) => s + t.max_score, 0);
    expect(max).toBeGreaterThan(0);
    expect(tests.every((t) => t.score === t.max_score)).toBe(true);
    expect(r.results!.score).toBe(max);
  }, 240_000);

  it('grades the untouched stub inside a folder: no points', () => {
    const r = rehearse('stub', { 'exercises/01-no-free-lunch.ts': 'exercises/01-no-free-lunch.ts' });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('run_autograder: grading exercises/01-no-free-lunch.ts\n');
    expect(r.results!.score).toBe(0);
    expect(r.results!.tests.length).toBeGreaterThan(2);
    expect(r.results!.tests.every((t) => t.score === 0)).toBe(true);
  }, 240_000);

  it('an empty upload still gets a results.json that says the file is missing', () => {
    const r = rehearse('empty', {});
    expect(r.stdout).toContain('run_autograder: no 01-no-free-lunch.ts in the submission');
    expect(r.results!.score).toBe(0);
    expect(JSON.stringify(r.results!.tests)).toMatch(/No file 01-no-free-lunch\.ts was found/);
  }, 240_000);

  it('when the grader cannot run, writes a results.json that says so', () => {
    const r = rehearse('broken', { '01-no-free-lunch.ts': 'solutions/01-no-free-lunch.ts' }, path.join(scratch, 'no-course-here'));
    expect(r.status).toBe(0);
    expect(r.results).toEqual({ score: 0, output: expect.stringMatching(/^The autograder could not grade this submission \(grader exit status \d+\)/) as unknown, tests: [] });
  });
});
