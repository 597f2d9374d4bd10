/**
 * The student edition: nothing of the solutions leaks, notebooks ship without outputs, the
 * edition builds and type-checks on its own and its `nasbook check` runs, and the target folder
 * is handled safely (no overwrite without force, never inside the course, no half-written edition).
 */
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import {
  EDITION_FILES, EDITION_FOLDERS, editionPackageJson, editionTsconfig, releaseStudentEdition, stripNotebookOutputs, type ReleaseResult,
} from '../../src/grading/release';

const root = packageRoot();
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-release-'));
const edition = path.join(scratch, 'edition');
let result: ReleaseResult;

beforeAll(() => {
  result = releaseStudentEdition(edition);
});
afterAll(() => fs.rmSync(scratch, { recursive: true, force: true }));

/** Every file under `dir`, relative, with '/' separators; links are listed, not followed. */
function listFiles(dir: string, skip: string[] = []): string[] {
  const out: string[] = [];
  const walk = (d: string, rel: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (skip.includes(r)) continue;
      if (e.isDirectory()) walk(path.join(d, e.name), r);
      else out.push(r);
    }
  };
  walk(dir, '');
  return out.sort();
}

/** The text of every file under the library sources `src/`, joined. */
function libraryText(): string {
  return listFiles(path.join(root, 'src')).map((f) => fs.readFileSync(path.join(root, 'src', f), 'utf8')).join('\n');
}

/**
 * Lines of a solution that only the solution has: trimmed, longer than 25 characters, and found
 * verbatim neither in the exercise stub nor in the library.
 */
function distinctiveLines(solutionFile: string, library: string): string[] {
  const exercise = path.join(root, 'exercises', path.basename(solutionFile));
  const stub = fs.existsSync(exercise) ? fs.readFileSync(exercise, 'utf8') : '';
  return fs
    .readFileSync(solutionFile, 'utf8')
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l.length > 25 && !stub.includes(l) && !library.includes(l));
}

/** Distinctive solution lines found in some file of `dir`, as `file: line`. */
function leaks(dir: string, lines: string[]): string[] {
  const found: string[] = [];
  for (const f of listFiles(dir, ['node_modules', 'dist'])) {
    const text = fs.readFileSync(path.join(dir, f), 'latin1');
    for (const line of lines) if (text.includes(Buffer.from(line, 'utf8').toString('latin1'))) found.push(`${f}: ${line}`);
  }
  return found;
}

function allDistinctiveLines(): string[] {
  const library = libraryText();
  return fs.readdirSync(path.join(root, 'solutions')).flatMap((f) => distinctiveLines(path.join(root, 'solutions', f), library));
}

describe('releaseStudentEdition: contents', () => {
  it('ships exactly the whitelisted folders and files of the course', () => {
    const expected = [...EDITION_FOLDERS, ...EDITION_FILES].filter((n) => fs.existsSync(path.join(root, n))).sort();
    expect(fs.readdirSync(edition).sort()).toEqual(expected);
    for (const name of ['solutions', 'test', 'bench', '.ci', 'dist', 'node_modules', '.git', 'vitest.config.mts', 'dist-bench']) {
      expect(fs.existsSync(path.join(edition, name))).toBe(false);
    }
    expect(result.dir).toBe(fs.realpathSync(edition));
    expect(result.files).toEqual(listFiles(edition));
    // the library, its public cases and the exercise stubs are all there, byte for byte
    for (const dir of ['src', 'exercises', 'data', 'bin']) {
      for (const f of listFiles(path.join(root, dir), ['node_modules'])) {
        expect(fs.readFileSync(path.join(edition, dir, f)).equals(fs.readFileSync(path.join(root, dir, f))), `${dir}/${f}`).toBe(true);
      }
    }
    expect(fs.readdirSync(path.join(edition, 'src/grading/cases')).length).toBeGreaterThanOrEqual(3);
    expect(fs.statSync(path.join(edition, 'bin/nasbook.js')).mode & 0o111).not.toBe(0);
  });

  it('leaks no line of the solutions, and names no file like one', () => {
    const library = libraryText();
    const solutionFiles = fs.readdirSync(path.join(root, 'solutions'));
    expect(solutionFiles.length).toBeGreaterThanOrEqual(2);
    const lines: string[] = [];
    for (const f of solutionFiles) {
      const mine = distinctiveLines(path.join(root, 'solutions', f), library);
      // every solution has lines of its own: otherwise the check below would test nothing
      expect(mine.length, f).toBeGreaterThanOrEqual(3);
      lines.push(...mine);
    }
    expect(leaks(edition, lines)).toEqual([]);
    for (const f of result.files) expect(f).not.toMatch(/solution/i);
    // a file that shares a solution's name is the stub or the public cases, never the solution's text
    for (const f of solutionFiles) {
      const solution = fs.readFileSync(path.join(root, 'solutions', f));
      for (const g of result.files.filter((x) => path.basename(x) === f)) {
        expect(fs.readFileSync(path.join(edition, g)).equals(solution), g).toBe(false);
      }
    }
  });

  it('the leak check finds a solution line planted in a copy of the edition', () => {
    const planted = path.join(scratch, 'planted');
    fs.cpSync(edition, planted, { recursive: true });
    const lines = allDistinctiveLines();
    const nb = path.join(planted, 'notebooks', fs.readdirSync(path.join(planted, 'notebooks'))[0]);
    fs.appendFileSync(nb, `\n${lines[lines.length - 1]}\n`);
    expect(leaks(planted, lines)).toEqual([`notebooks/${path.basename(nb)}: ${lines[lines.length - 1]}`]);
  });

  it('ships every notebook without outputs, its cells otherwise identical', () => {
    const notebooks = fs.readdirSync(path.join(root, 'notebooks')).filter((f) => f.endsWith('.ipynb'));
    expect(notebooks.length).toBeGreaterThanOrEqual(2);
    type Cell = { cell_type: string; outputs?: unknown[]; execution_count?: unknown };
    for (const f of notebooks) {
      const mine = JSON.parse(fs.readFileSync(path.join(root, 'notebooks', f), 'utf8')) as { cells: Cell[]; metadata: unknown };
      const shipped = JSON.parse(fs.readFileSync(path.join(edition, 'notebooks', f), 'utf8')) as { cells: Cell[]; metadata: unknown };
      expect(shipped.metadata).toEqual(mine.metadata);
      expect(shipped.cells.length).toBe(mine.cells.length);
      for (const [i, cell] of shipped.cells.entries()) {
        if (cell.cell_type === 'code') {
          expect(cell.outputs).toEqual([]);
          expect(cell.execution_count).toBeNull();
        }
        const strip = ({ outputs: _o, execution_count: _e, ...rest }: Cell) => rest;
        expect(strip(cell)).toEqual(strip(mine.cells[i]));
      }
    }
  });

  it('keeps the package and its dependencies, with only the scripts students can run', () => {
    const mine = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Record<string, unknown> & { scripts: Record<string, string> };
    const shipped = JSON.parse(fs.readFileSync(path.join(edition, 'package.json'), 'utf8')) as Record<string, unknown> & { scripts: Record<string, string> };
    // same dependencies, so `npm ci` matches the shipped lock file
    expect(shipped.dependencies).toEqual(mine.dependencies);
    expect(shipped.devDependencies).toEqual(mine.devDependencies);
    expect(shipped.overrides).toEqual(mine.overrides);
    expect(Object.keys(shipped.scripts).sort()).toEqual(['build', 'prepare', 'start', 'typecheck'].filter((s) => s in mine.scripts).sort());
    for (const command of Object.values(shipped.scripts)) expect(command).not.toMatch(/vitest|bench|solutions|test\//);
    expect(fs.readFileSync(path.join(edition, 'package-lock.json'), 'utf8')).toBe(fs.readFileSync(path.join(root, 'package-lock.json'), 'utf8'));
    const tsconfig = JSON.parse(fs.readFileSync(path.join(edition, 'tsconfig.json'), 'utf8')) as { include: string[] };
    expect(tsconfig.include).toEqual(['src', 'exercises']);
    for (const folder of tsconfig.include) expect(fs.existsSync(path.join(edition, folder))).toBe(true);
    expect(fs.readFileSync(path.join(edition, 'README.md'), 'utf8')).toMatch(/^> \*\*Student edition\.\*\*/);
  });
});

describe('releaseStudentEdition: the edition works on its own', () => {
  const tsc = path.join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  beforeAll(() => {
    // The repository's packages, and "nasbook" pointing at the edition itself (as `npm ci` links it).
    const modules = path.join(edition, 'node_modules');
    fs.mkdirSync(modules);
    for (const entry of fs.readdirSync(path.join(root, 'node_modules'))) {
      if (entry === 'nasbook' || entry.startsWith('.')) continue;
      fs.symlinkSync(path.join(root, 'node_modules', entry), path.join(modules, entry));
    }
    fs.symlinkSync('..', path.join(modules, 'nasbook'));
  });

  it('builds with its tsconfig.build.json, and its exercise stubs type-check against it', () => {
    const build = spawnSync(process.execPath, [tsc, '-p', path.join(edition, 'tsconfig.build.json')], { encoding: 'utf8' });
    expect(build.stdout + build.stderr).toBe('');
    expect(build.status).toBe(0);
    expect(fs.existsSync(path.join(edition, 'dist', 'index.js'))).toBe(true);
    const typecheck = spawnSync(process.execPath, [tsc, '-p', path.join(edition, 'tsconfig.json'), '--noEmit', '--listFilesOnly'], { encoding: 'utf8' });
    const listed = typecheck.stdout.split('\n').map((f) => path.relative(edition, f));
    for (const f of fs.readdirSync(path.join(edition, 'exercises'))) expect(listed).toContain(`exercises/${f}`);
    const check = spawnSync(process.execPath, [tsc, '-p', path.join(edition, 'tsconfig.json'), '--noEmit'], { encoding: 'utf8' });
    expect(check.stdout + check.stderr).toBe('');
    expect(check.status).toBe(0);
  }, 120_000);

  it('runs `nasbook check` on its stubs, and says clearly that it has no solutions', () => {
    const bin = path.join(edition, 'bin', 'nasbook.js');
    const check = spawnSync(process.execPath, [bin, 'check', '01'], { encoding: 'utf8', cwd: edition, timeout: 120_000 });
    expect(check.status).toBe(1);
    expect(check.stdout).toMatch(/0 of \d+ cases pass/);
    expect(check.stdout).toMatch(/TODO/);
    const solutions = spawnSync(process.execPath, [bin, 'check', '01', '--solutions'], { encoding: 'utf8', cwd: edition, timeout: 120_000 });
    expect(solutions.status).toBe(2);
    expect(solutions.stderr).toContain(path.join(fs.realpathSync(edition), 'solutions'));
  }, 120_000);
});

/** A small course folder: package files, a library file, a notebook with outputs, private folders. */
function fakeCourse(name: string, notebookText?: string): string {
  const dir = path.join(scratch, name);
  const put = (rel: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  };
  put('package.json', JSON.stringify({ name: 'nasbook', scripts: { build: 'tsc -p tsconfig.build.json', test: 'vitest run', bench: 'node bench/index.js' } }));
  put('tsconfig.json', '{\n  // comments are allowed\n  "compilerOptions": { "strict": true },\n  "include": ["src", "test", "solutions"],\n}\n');
  put('src/lib.ts', 'export const answer = 42;\n');
  put('exercises/01-x.ts', 'export function f(): number { throw new Error("TODO"); }\n');
  put('solutions/01-x.ts', 'export function f(): number { return 42; }\n');
  put('test/lib.test.ts', '');
  const nb = {
    cells: [
      { cell_type: 'markdown', id: 'a', metadata: {}, source: ['# Title'] },
      { cell_type: 'code', id: 'b', metadata: { tags: ['x'] }, execution_count: 7, outputs: [{ output_type: 'stream', name: 'stdout', text: ['42\n'] }], source: ['answer'] },
    ],
    metadata: { kernelspec: { name: 'nasbook' } },
    nbformat: 4,
    nbformat_minor: 5,
  };
  put('notebooks/01-x.ipynb', notebookText ?? JSON.stringify(nb, null, 1));
  return dir;
}

describe('releaseStudentEdition on a small course', () => {
  it('clears outputs and execution counts, drops private folders, scripts and includes', () => {
    const course = fakeCourse('course-a');
    const out = path.join(scratch, 'out-a');
    const r = releaseStudentEdition(out, { courseRoot: course });
    expect(r.files).toEqual(['exercises/01-x.ts', 'notebooks/01-x.ipynb', 'package.json', 'src/lib.ts', 'tsconfig.json']);
    expect(r.strippedNotebooks).toEqual(['notebooks/01-x.ipynb']);
    const nb = JSON.parse(fs.readFileSync(path.join(out, 'notebooks/01-x.ipynb'), 'utf8')) as { cells: Record<string, unknown>[] };
    expect(nb.cells[1]).toEqual({ cell_type: 'code', id: 'b', metadata: { tags: ['x'] }, execution_count: null, outputs: [], source: ['answer'] });
    expect(nb.cells[0]).toEqual({ cell_type: 'markdown', id: 'a', metadata: {}, source: ['# Title'] });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'package.json'), 'utf8'))).toEqual({ name: 'nasbook', scripts: { build: 'tsc -p tsconfig.build.json' } });
    expect(JSON.parse(fs.readFileSync(path.join(out, 'tsconfig.json'), 'utf8'))).toEqual({ compilerOptions: { strict: true }, include: ['src'] });
  });

  it('refuses a non-empty folder without force, and leaves it untouched', () => {
    const course = fakeCourse('course-b');
    const out = path.join(scratch, 'out-b');
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'mine.txt'), 'keep me');
    expect(() => releaseStudentEdition(out, { courseRoot: course })).toThrow(/releaseStudentEdition: 'outDir' .* is not empty \(1 entries\); set 'force'/);
    expect(fs.readdirSync(out)).toEqual(['mine.txt']);
  });

  it('with force, replaces the contents but keeps a .git folder', () => {
    const course = fakeCourse('course-c');
    const out = path.join(scratch, 'out-c');
    fs.mkdirSync(path.join(out, '.git'), { recursive: true });
    fs.writeFileSync(path.join(out, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    fs.writeFileSync(path.join(out, 'stale.txt'), 'from an older release');
    releaseStudentEdition(out, { courseRoot: course, force: true });
    expect(fs.readdirSync(out).sort()).toEqual(['.git', 'exercises', 'notebooks', 'package.json', 'src', 'tsconfig.json']);
    expect(fs.readFileSync(path.join(out, '.git', 'HEAD'), 'utf8')).toBe('ref: refs/heads/main\n');
  });

  it('into an existing empty folder, without force', () => {
    const course = fakeCourse('course-d');
    const out = path.join(scratch, 'out-d');
    fs.mkdirSync(out);
    expect(releaseStudentEdition(out, { courseRoot: course }).files).toHaveLength(5);
  });

  it('refuses a folder inside the course, or one that holds the course', () => {
    const course = fakeCourse('course-e');
    for (const inside of [course, path.join(course, 'release'), path.join(course, 'src', 'x')]) {
      expect(() => releaseStudentEdition(inside, { courseRoot: course })).toThrow(/'outDir' must be outside the course folder/);
    }
    expect(() => releaseStudentEdition(scratch, { courseRoot: course, force: true })).toThrow(/'outDir' must be a folder of its own/);
    expect(() => releaseStudentEdition(path.join(root, 'edition'))).toThrow(/'outDir' must be outside the course folder/);
    expect(fs.existsSync(path.join(root, 'edition'))).toBe(false);
    expect(() => releaseStudentEdition('')).toThrow(/releaseStudentEdition: 'outDir' must be a non-empty string, got ""/);
    expect(() => releaseStudentEdition(path.join(scratch, 'x'), { courseRoot: path.join(scratch, 'nowhere') })).toThrow(/'courseRoot' must be a course folder with a package.json/);
  });

  it('refuses a file as the target', () => {
    const file = path.join(scratch, 'a-file');
    fs.writeFileSync(file, '');
    expect(() => releaseStudentEdition(file, { courseRoot: fakeCourse('course-f') })).toThrow(/'outDir' must be a folder, got the file/);
  });

  it('leaves nothing behind when it fails half-way (a broken notebook)', () => {
    const course = fakeCourse('course-g', '{"cells": [');
    const parent = path.join(scratch, 'parent-g');
    const out = path.join(parent, 'out');
    expect(() => releaseStudentEdition(out, { courseRoot: course })).toThrow(/notebooks\/01-x\.ipynb is not valid JSON/);
    expect(fs.readdirSync(parent)).toEqual([]);
    // and an existing edition replaced with force stays as it was
    fs.mkdirSync(out);
    fs.writeFileSync(path.join(out, 'old.txt'), 'previous edition');
    expect(() => releaseStudentEdition(out, { courseRoot: course, force: true })).toThrow(/not valid JSON/);
    expect(fs.readdirSync(parent)).toEqual(['out']);
    expect(fs.readdirSync(out)).toEqual(['old.txt']);
  });

  it('refuses to copy a symbolic link from a shipped folder', () => {
    const course = fakeCourse('course-h');
    fs.symlinkSync(path.join(course, 'solutions', '01-x.ts'), path.join(course, 'exercises', 'peek.ts'));
    const out = path.join(scratch, 'out-h');
    expect(() => releaseStudentEdition(out, { courseRoot: course })).toThrow(/exercises\/peek\.ts is a symbolic link/);
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe('edition file transforms', () => {
  it('stripNotebookOutputs returns a clean notebook unchanged, byte for byte', () => {
    const text = fs.readFileSync(path.join(root, 'notebooks', fs.readdirSync(path.join(root, 'notebooks')).find((f) => f.endsWith('.ipynb'))!), 'utf8');
    expect(stripNotebookOutputs(text)).toEqual({ text, changed: false });
    expect(() => stripNotebookOutputs('{"nbformat": 4}', 'x.ipynb')).toThrow("stripNotebookOutputs: x.ipynb must be a notebook with a 'cells' array");
    const missingOutputs = stripNotebookOutputs('{"cells": [{"cell_type": "code", "source": []}]}');
    expect(JSON.parse(missingOutputs.text)).toEqual({ cells: [{ cell_type: 'code', source: [], outputs: [], execution_count: null }] });
  });

  it('editionPackageJson keeps student scripts that touch only shipped files', () => {
    const pkg = { name: 'nasbook', scripts: { build: 'tsc', start: 'node bin/x.js', typecheck: 'tsc -p test/tsconfig.json', test: 'vitest run', pretest: 'npm run build' } };
    expect(JSON.parse(editionPackageJson(JSON.stringify(pkg)))).toEqual({ name: 'nasbook', scripts: { build: 'tsc', start: 'node bin/x.js' } });
  });

  it('editionTsconfig keeps shipped folders in include and exclude, and refuses an empty include', () => {
    expect(JSON.parse(editionTsconfig('{"include": ["./src/**/*", "bench", "exercises"], "exclude": ["test", "src/x"]}'))).toEqual({ include: ['./src/**/*', 'exercises'], exclude: ['src/x'] });
    expect(() => editionTsconfig('{"include": ["test"]}', 'tsconfig.test.json')).toThrow(/tsconfig\.test\.json includes none of the shipped folders/);
    expect(() => editionTsconfig('{"include": [', 'broken.json')).toThrow(/editionTsconfig: broken\.json does not parse/);
  });
});
