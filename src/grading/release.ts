/**
 * The student edition: the course as students receive it. It is built from a whitelist (a folder
 * added to the repository later stays private until someone ships it on purpose), into a
 * sibling temporary folder that replaces the target only once it is complete, so a failure
 * leaves the target as it was.
 *
 * What ships: the notebooks without outputs, `exercises/`, the library `src/` (public cases and
 * hidden-input generators are code; there is no seed anywhere in it), `data/`, `bin/`, the package
 * files with the scripts a student can run, the README. What stays with the instructors:
 * `solutions/`, `test/`, `bench/`, `.ci/` and every build product.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import ts from 'typescript';
import { checkString, describe } from '../core/checks';
import { packageRoot } from '../core/paths';

/** Folders of the course that students receive. */
export const EDITION_FOLDERS: readonly string[] = ['notebooks', 'exercises', 'src', 'data', 'bin'];

/** Files at the top of the course that students receive (each when present). */
export const EDITION_FILES: readonly string[] = [
  'package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json', 'README.md', '.gitignore', 'LICENSE',
];

/** npm scripts kept in the edition: the ones that only touch shipped files. */
const STUDENT_SCRIPTS: readonly string[] = ['build', 'prepare', 'start', 'typecheck'];

/** Names never copied from inside a shipped folder: build products, editor and Jupyter leftovers. */
const SKIPPED_NAMES = new Set(['node_modules', '.git', '.ipynb_checkpoints', '.DS_Store', '__pycache__']);

const README_NOTE = [
  '> **Student edition.** This copy of the course holds the notebooks (without outputs), the',
  '> exercises with their public cases, the library and the data. The reference solutions, the',
  '> test suites and the benchmarks stay with the instructors, so `npm test` and `npm run bench`',
  '> do not exist here. `npx nasbook check NN` checks an exercise and `npm run typecheck`',
  '> type-checks the library and your exercise files.',
  '',
  '',
].join('\n');

export interface ReleaseOptions {
  /** Replace the contents of a non-empty `outDir` (its `.git` folder, if any, is kept). */
  force?: boolean;
  /** The course to release (default: the installed nasbook package's folder). */
  courseRoot?: string;
}

export interface ReleaseResult {
  /** The edition's folder (absolute). */
  dir: string;
  /** Every file written, relative to `dir`, sorted, with '/' separators. */
  files: string[];
  /** Notebooks whose outputs or execution counts were cleared (relative paths). */
  strippedNotebooks: string[];
}

/** A Jupyter notebook, as far as the edition needs to know it. */
interface NotebookJson {
  cells?: { cell_type?: string; outputs?: unknown[]; execution_count?: number | null }[];
}

/**
 * A copy of a notebook with every code cell's outputs and execution count cleared; all else is kept.
 * @param text the notebook file's text (nbformat 4 JSON)
 * @param name the file's name, for the error message
 * @returns the cleaned text, and whether anything had to be cleared (if not, `text` is returned as is)
 * @throws Error if `text` is not a notebook's JSON
 * @example stripNotebookOutputs(fs.readFileSync('notebooks/01-no-free-lunch.ipynb', 'utf8')).changed // false for a committed notebook
 */
export function stripNotebookOutputs(text: string, name = 'notebook'): { text: string; changed: boolean } {
  let nb: NotebookJson;
  try {
    nb = JSON.parse(text) as NotebookJson;
  } catch (e) {
    throw new Error(`stripNotebookOutputs: ${name} is not valid JSON (${(e as Error).message})`);
  }
  if (nb === null || typeof nb !== 'object' || !Array.isArray(nb.cells)) {
    throw new Error(`stripNotebookOutputs: ${name} must be a notebook with a 'cells' array`);
  }
  let changed = false;
  for (const cell of nb.cells) {
    if (cell.cell_type !== 'code') continue;
    if (!Array.isArray(cell.outputs) || cell.outputs.length > 0) {
      cell.outputs = [];
      changed = true;
    }
    if (cell.execution_count !== null) {
      cell.execution_count = null;
      changed = true;
    }
  }
  // Jupyter writes notebooks with one-space indentation and a final newline; so does this.
  return changed ? { text: `${JSON.stringify(nb, null, 1)}\n`, changed } : { text, changed };
}

/**
 * The edition's package.json: the same package and dependencies (so `npm ci` still matches the
 * shipped lock file), with only the scripts a student can run.
 * @param text the course's package.json
 * @example JSON.parse(editionPackageJson('{"name":"nasbook","scripts":{"build":"tsc","test":"vitest run"}}')).scripts // { build: 'tsc' }
 */
export function editionPackageJson(text: string): string {
  const pkg = JSON.parse(text) as { scripts?: Record<string, string> };
  if (pkg.scripts) {
    const kept: Record<string, string> = {};
    for (const [name, command] of Object.entries(pkg.scripts)) {
      if (STUDENT_SCRIPTS.includes(name) && !mentionsPrivateFolder(command)) kept[name] = command;
    }
    pkg.scripts = kept;
  }
  return `${JSON.stringify(pkg, null, 2)}\n`;
}

/** Whether an npm script refers to a folder the edition leaves out. */
function mentionsPrivateFolder(command: string): boolean {
  return /(^|[\s/"'=])(solutions|test|bench|\.ci)(\/|\s|$)|vitest/.test(command);
}

/**
 * A tsconfig for the edition: its `include` list keeps only the shipped folders.
 * @param text the tsconfig's text (comments and trailing commas are allowed)
 * @param name the file's name, for the error message
 * @throws Error if the text does not parse, or nothing shipped would be left to include
 * @example JSON.parse(editionTsconfig('{"include": ["src", "test"]}')).include // ['src']
 */
export function editionTsconfig(text: string, name = 'tsconfig.json'): string {
  const parsed = ts.parseConfigFileTextToJson(name, text);
  if (parsed.error) {
    throw new Error(`editionTsconfig: ${name} does not parse: ${ts.flattenDiagnosticMessageText(parsed.error.messageText, '\n')}`);
  }
  const config = parsed.config as { include?: string[]; exclude?: string[] };
  if (Array.isArray(config.include)) {
    config.include = config.include.filter(isShippedPattern);
    if (config.include.length === 0) throw new Error(`editionTsconfig: ${name} includes none of the shipped folders (${EDITION_FOLDERS.join(', ')})`);
  }
  if (Array.isArray(config.exclude)) config.exclude = config.exclude.filter(isShippedPattern);
  return `${JSON.stringify(config, null, 2)}\n`;
}

/** Whether a tsconfig include/exclude pattern points into a shipped folder. */
function isShippedPattern(pattern: string): boolean {
  const first = pattern.replace(/^\.\//, '').split('/')[0];
  return EDITION_FOLDERS.includes(first);
}

/** The real path of `p`, resolving links in the part of it that exists. */
function realPathOf(p: string): string {
  const missing: string[] = [];
  let existing = path.resolve(p);
  while (!fs.existsSync(existing)) {
    missing.unshift(path.basename(existing));
    existing = path.dirname(existing);
  }
  return path.join(fs.realpathSync(existing), ...missing);
}

function isInside(child: string, parent: string): boolean {
  return child === parent || child.startsWith(parent.endsWith(path.sep) ? parent : parent + path.sep);
}

/**
 * Checks a folder that a course artefact (edition, bundle) is about to be written to: outside the
 * course, not an ancestor of it, not the file system root or the home folder, and empty unless
 * `force`. Returns its absolute path.
 * @throws TypeError for a non-string `outDir`; Error for any of the refusals above
 */
export function checkOutputFolder(outDir: unknown, force: boolean, courseRoot: string, caller: string): string {
  const dir = path.resolve(checkString('outDir', outDir, caller));
  const real = realPathOf(dir);
  const root = realPathOf(courseRoot);
  if (isInside(real, root)) {
    throw new Error(`${caller}: 'outDir' must be outside the course folder ${root}, got ${describe(outDir)}`);
  }
  if (isInside(root, real) || real === path.parse(real).root || real === realPathOf(os.homedir())) {
    throw new Error(`${caller}: 'outDir' must be a folder of its own, not ${real} (it holds the course folder or your files)`);
  }
  if (fs.existsSync(real)) {
    if (!fs.statSync(real).isDirectory()) throw new Error(`${caller}: 'outDir' must be a folder, got the file ${real}`);
    const entries = fs.readdirSync(real);
    if (entries.length > 0 && !force) {
      throw new Error(`${caller}: 'outDir' ${real} is not empty (${entries.length} entries); set 'force' (--force) to replace its contents`);
    }
  }
  return real;
}

/**
 * Builds a folder's contents in a sibling temporary folder, then puts them in place of
 * `target`'s contents. If `build` throws, `target` is untouched and the temporary folder removed.
 * An existing target's `.git` folder is kept, so a release can update a repository of the edition.
 * @param mode the new folder's mode (default: as `mkdir` would make it); an existing target keeps its own
 */
export function writeFolderAtomically(target: string, build: (dir: string) => void, mode = 0o777 & ~process.umask()): void {
  const parent = path.dirname(target);
  fs.mkdirSync(parent, { recursive: true });
  const base = path.basename(target);
  // mkdtemp makes the folder private (0700); it gets its final mode once it is complete.
  const work = fs.mkdtempSync(path.join(parent, `.${base}.partial-`));
  try {
    build(work);
    fs.chmodSync(work, mode);
  } catch (e) {
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
  if (!fs.existsSync(target)) {
    fs.renameSync(work, target);
    return;
  }
  // The target exists (it may be a mount point or someone's working folder, which cannot be
  // renamed): swap its entries instead, each a rename within one file system.
  const old = fs.mkdtempSync(path.join(parent, `.${base}.previous-`));
  const moved: string[] = [];
  try {
    for (const entry of fs.readdirSync(target)) {
      if (entry === '.git') continue;
      fs.renameSync(path.join(target, entry), path.join(old, entry));
      moved.push(entry);
    }
    for (const entry of fs.readdirSync(work)) fs.renameSync(path.join(work, entry), path.join(target, entry));
  } catch (e) {
    for (const entry of fs.readdirSync(target)) if (entry !== '.git' && !moved.includes(entry)) fs.rmSync(path.join(target, entry), { recursive: true, force: true });
    for (const entry of moved) fs.renameSync(path.join(old, entry), path.join(target, entry));
    fs.rmSync(work, { recursive: true, force: true });
    fs.rmSync(old, { recursive: true, force: true });
    throw e;
  }
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(old, { recursive: true, force: true });
}

/**
 * Copies a file or folder tree from `from` to `to`, keeping file modes, skipping build and editor
 * leftovers, and calling `transform` on each file (return a string to write instead of the bytes).
 * Symbolic links are refused: they could carry a private file into a public copy.
 * @param relative `from`'s path as reported in the result and given to `transform`
 * @returns the copied files, as `relative` paths with '/' separators
 */
export function copyCourseTree(
  from: string,
  to: string,
  caller: string,
  transform: (relative: string, absolute: string) => string | null = () => null,
  relative = path.basename(from),
): string[] {
  const stat = fs.lstatSync(from);
  if (stat.isSymbolicLink()) throw new Error(`${caller}: ${from} is a symbolic link; only regular files and folders are copied`);
  if (stat.isDirectory()) {
    fs.mkdirSync(to, { recursive: true });
    const files: string[] = [];
    for (const entry of fs.readdirSync(from).sort()) {
      const rel = `${relative}/${entry}`;
      if (SKIPPED_NAMES.has(entry) || entry.endsWith('.tsbuildinfo')) continue;
      files.push(...copyCourseTree(path.join(from, entry), path.join(to, entry), caller, transform, rel));
    }
    return files;
  }
  if (!stat.isFile()) throw new Error(`${caller}: ${from} is neither a file nor a folder`);
  const replaced = transform(relative, from);
  if (replaced === null) fs.copyFileSync(from, to);
  else fs.writeFileSync(to, replaced);
  fs.chmodSync(to, stat.mode & 0o777);
  return [relative];
}

/**
 * Writes the student edition of the course into `outDir`: notebooks without outputs, the exercise
 * stubs, the library with its public cases, the data, and package files trimmed to what students
 * run. No solutions, tests, benchmarks, CI files or build products.
 * @param outDir a new or empty folder outside the course (or any folder with `force`)
 * @param options.force replace the contents of a non-empty `outDir` (a `.git` in it is kept)
 * @param options.courseRoot the course to release (default: this nasbook package)
 * @throws Error if `outDir` is not empty and `force` is not set, if it lies inside the course or
 *   contains it, if a notebook or tsconfig does not parse, or if a shipped folder holds a symbolic link
 * @example releaseStudentEdition('/tmp/nas-course') // { dir: '/tmp/nas-course', files: ['README.md', ...], ... }
 */
export function releaseStudentEdition(outDir: string, options: ReleaseOptions = {}): ReleaseResult {
  const caller = 'releaseStudentEdition';
  const root = realPathOf(options.courseRoot === undefined ? packageRoot() : checkString('courseRoot', options.courseRoot, caller));
  if (!fs.existsSync(path.join(root, 'package.json'))) throw new Error(`${caller}: 'courseRoot' must be a course folder with a package.json, got ${describe(options.courseRoot ?? root)}`);
  const dir = checkOutputFolder(outDir, options.force === true, root, caller);
  const files: string[] = [];
  const strippedNotebooks: string[] = [];
  const transform = (relative: string, absolute: string): string | null => {
    if (relative.endsWith('.ipynb')) {
      const { text, changed } = stripNotebookOutputs(fs.readFileSync(absolute, 'utf8'), relative);
      if (changed) strippedNotebooks.push(relative);
      return changed ? text : null;
    }
    if (relative === 'package.json') return editionPackageJson(fs.readFileSync(absolute, 'utf8'));
    if (/^tsconfig(\.[\w-]+)?\.json$/.test(relative)) return editionTsconfig(fs.readFileSync(absolute, 'utf8'), relative);
    if (relative === 'README.md') return README_NOTE + fs.readFileSync(absolute, 'utf8');
    return null;
  };
  writeFolderAtomically(dir, (work) => {
    for (const name of [...EDITION_FOLDERS, ...EDITION_FILES]) {
      const from = path.join(root, name);
      if (!fs.existsSync(from)) continue;
      files.push(...copyCourseTree(from, path.join(work, name), caller, transform, name));
    }
  });
  return { dir, files: files.sort(), strippedNotebooks: strippedNotebooks.sort() };
}
