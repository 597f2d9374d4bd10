/**
 * The Gradescope autograder bundle: the same sandboxed grader as `nasbook grade`, run on
 * Gradescope's layout. Gradescope unpacks the uploaded zip into `/autograder/source`, runs
 * `setup.sh` once when it builds the image, then for each submission runs `run_autograder` with
 * the student's upload in `/autograder/submission` and reads `/autograder/results/results.json`.
 *
 * The bundle is private to the instructor: it holds the course with its `solutions/` (the hidden
 * cases' expected values are computed from them) and the seed, in a file of its own. The student's
 * code still never sees either: the grader runs it in a child that may read only the submission.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import { checkArray, checkString, describe } from '../core/checks';
import { packageRoot } from '../core/paths';
import { chapterCases, chapters as allChapters, exerciseFileName } from './cases';
import { checkOutputFolder, copyCourseTree, writeFolderAtomically } from './release';
import type { ChapterCases } from './types';

/** Top-level names of the course left out of the bundle: history, installs and build products. */
const NOT_BUNDLED = new Set(['.git', 'node_modules', 'dist', 'dist-bench', 'test-results', 'coverage', 'tmp', '.ipynb_checkpoints', '.DS_Store']);

/** The folder of the bundle that holds the course (on Gradescope: `/autograder/source/course`). */
export const BUNDLE_COURSE_FOLDER = 'course';

/** The file of the bundle that holds the seed. */
export const BUNDLE_SEED_FILE = 'seed.txt';

export interface GradescopeOptions {
  /** The instructor's secret seed for the hidden cases; written into the bundle only. */
  seed: string;
  /** Chapters graded by this assignment, by number or slug (default: all). */
  chapters?: string[];
  /** Replace the contents of a non-empty `outDir`. */
  force?: boolean;
  /** Also write `autograder.zip`, the file to upload (default true). */
  zip?: boolean;
  /** The course to bundle (default: the installed nasbook package's folder). */
  courseRoot?: string;
}

export interface GradescopeBundle {
  /** The bundle's folder (absolute). */
  dir: string;
  /** The zip to upload to Gradescope, or null when `zip` was false. */
  zip: string | null;
  /** Every file of the bundle (relative, '/' separators, sorted), the zip excepted. */
  files: string[];
  /** The chapters graded, as two-digit numbers. */
  chapters: string[];
}

/** Gradescope's setup script: Node.js and the course's packages, once per image. */
export function gradescopeSetupScript(): string {
  return `#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image; this bundle is then
# /autograder/source.
#
# Node.js: nasbook's grader needs Node.js 20 or newer, because its sandbox is Node's permission
# model (--experimental-permission from Node 20, --permission from Node 22). This script uses a
# node that the image already has if it is new enough, else what the distribution's packages give
# (\`apt-get install nodejs npm\`). Ubuntu's own nodejs is older than 20 on Gradescope's Ubuntu
# 22.04 (Node 12) and 24.04 (Node 18) base images; then the script stops with a message, and the
# assignment needs a base image that ships Node.js 20+.
set -euo pipefail
here="$(cd "$(dirname "\${BASH_SOURCE[0]}")" && pwd)"

node_major() { node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0; }

if [ "$(node_major)" -lt 20 ] || ! command -v npm >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update
  apt-get install -y nodejs npm
fi
if [ "$(node_major)" -lt 20 ]; then
  echo "setup.sh: nasbook's grader needs Node.js 20 or newer; this image has $(node --version 2>/dev/null || echo no node)." >&2
  echo "setup.sh: choose a Gradescope base image whose distribution ships Node.js 20 or newer." >&2
  exit 1
fi

cd "$here/${BUNDLE_COURSE_FOLDER}"
# The packages pinned by the lock file. Install scripts are skipped: the grader needs no native
# add-on (tslab's zeromq serves Jupyter only), and the one script it does need is the build below.
npm ci --ignore-scripts --no-audit --no-fund
npm run build
`;
}

/** Single-quoted for bash. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/**
 * Gradescope's per-submission script for the given chapters. Environment variables move the
 * layout so it can be rehearsed outside Gradescope: AUTOGRADER_ROOT (default /autograder),
 * NASBOOK_COURSE (default the bundled course), NASBOOK_NODE (default `node`).
 */
export function gradescopeRunScript(chapters: readonly ChapterCases[]): string {
  const files = chapters.map((c) => shellQuote(exerciseFileName(c))).join(' ');
  const list = chapters.map((c) => c.chapter).join(',');
  return `#!/usr/bin/env bash
# Gradescope runs this for every submission (as /autograder/run_autograder, from /autograder):
# it gathers the student's exercise files, grades them with nasbook's sandboxed grader and the
# instructor's seed, and writes results/results.json. To rehearse it elsewhere, set
# AUTOGRADER_ROOT (default /autograder), NASBOOK_COURSE (default: the course in this bundle) and
# NASBOOK_NODE (default: node).
set -uo pipefail
root="\${AUTOGRADER_ROOT:-/autograder}"
bundle="$root/source"
course="\${NASBOOK_COURSE:-$bundle/${BUNDLE_COURSE_FOLDER}}"
node="\${NASBOOK_NODE:-node}"
results="$root/results"
submission="$root/submission"
chapters=${shellQuote(list)}
files=(${files})

mkdir -p "$results"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# When the grader itself cannot run, the student still gets a results.json that says so (a
# missing one shows only a harness error); the details are in this script's output, which only
# the instructor sees.
give_up() {
  printf '{"score": 0, "output": "%s", "tests": []}\\n' "$1" > "$results/results.json"
  echo "run_autograder: $1" >&2
  exit 0
}

seed=""
if [ -r "$bundle/${BUNDLE_SEED_FILE}" ]; then IFS= read -r seed < "$bundle/${BUNDLE_SEED_FILE}" || true; fi
[ -n "$seed" ] || give_up "The autograder has no seed for its hidden cases. Please tell your instructor."

# Gradescope keeps the folders of an upload: take each exercise file from wherever it is, the one
# nearest the top when there are several, ignoring the copies macOS puts in __MACOSX.
dest="$work/submissions/student/exercises"
mkdir -p "$dest"
for name in "\${files[@]}"; do
  found="$(find "$submission" -type f -name "$name" -not -path '*/__MACOSX/*' -printf '%d\\t%p\\n' 2>/dev/null \\
    | sort -t $'\\t' -k1,1n -k2,2 | head -n 1 | cut -f 2-)"
  if [ -n "$found" ]; then
    cp -- "$found" "$dest/$name"
    echo "run_autograder: grading \${found#"$submission"/}"
  else
    echo "run_autograder: no $name in the submission"
  fi
done

# The seed travels in the environment (not on the command line, where any process could list it);
# the grader gives the student's process an empty environment.
NASBOOK_SEED="$seed" "$node" "$course/bin/nasbook.js" grade "$work/submissions" --out "$work/out" --chapters "$chapters"
status=$?
if [ -s "$work/out/students/student/results.json" ]; then
  cp "$work/out/students/student/results.json" "$results/results.json"
else
  give_up "The autograder could not grade this submission (grader exit status $status). Please tell your instructor."
fi
`;
}

function bundleReadme(chapters: readonly ChapterCases[]): string {
  return `# nasbook autograder for Gradescope (private)

This bundle grades ${chapters.map((c) => exerciseFileName(c)).join(', ')} with nasbook's sandboxed grader.
It holds the reference solutions and the seed of the hidden cases: keep it to the course staff.

- Upload \`autograder.zip\` as the assignment's autograder (setup.sh and run_autograder are at its root).
- Students upload their exercise files, alone or in folders.
- \`setup.sh\` needs Node.js 20 or newer from the image or its distribution (see the comment in it).
- Rehearse a run: \`AUTOGRADER_ROOT=/tmp/ag bash run_autograder\` with this folder at /tmp/ag/source and a
  submission in /tmp/ag/submission, after \`npm ci && npm run build\` in ${BUNDLE_COURSE_FOLDER}/
  (or point NASBOOK_COURSE at a built course).
`;
}

/** The seed as a bundle may hold it: one line, no control characters. */
function checkSeed(seed: unknown, caller: string): string {
  const text = checkString('seed', seed, caller);
  if (/[\u0000-\u001f\u007f]/.test(text)) throw new RangeError(`${caller}: 'seed' must be one line without control characters, got ${describe(text)}`);
  return text;
}

function chosenChapters(chapters: unknown, caller: string): ChapterCases[] {
  if (chapters === undefined) return [...allChapters];
  const list = checkArray<unknown>('chapters', chapters, { minLength: 1 }, caller);
  const found: ChapterCases[] = [];
  for (const c of list) {
    if (typeof c !== 'string' && typeof c !== 'number') throw new TypeError(`${caller}: 'chapters' must hold chapter numbers or slugs, got ${describe(c)}`);
    const cases = chapterCases(c);
    if (!found.includes(cases)) found.push(cases);
  }
  return found.sort((a, b) => a.chapter.localeCompare(b.chapter));
}

/** Writes `autograder.zip` holding `files` of `dir`, keeping each file's mode. */
function zipBundle(dir: string, files: readonly string[], zipFile: string): void {
  const zip = new AdmZip();
  for (const f of files) {
    const full = path.join(dir, f);
    zip.addFile(f, fs.readFileSync(full), '', fs.statSync(full).mode & 0o777);
  }
  zip.writeZip(zipFile);
  fs.chmodSync(zipFile, 0o600);
}

/**
 * Writes a Gradescope autograder bundle into `outDir`: `setup.sh`, `run_autograder`, the seed, the
 * course (with its solutions) under `course/`, and `autograder.zip` holding them all, to upload.
 * @param outDir a new or empty folder outside the course (or any folder with `force`)
 * @param options.seed the instructor's secret seed (one line); it goes into this bundle only
 * @param options.chapters the chapters to grade, by number or slug (default: all)
 * @param options.force replace the contents of a non-empty `outDir`
 * @param options.zip also write `autograder.zip` (default true)
 * @param options.courseRoot the course to bundle (default: this nasbook package)
 * @throws TypeError/RangeError for a missing or multi-line seed or an unknown chapter; Error if
 *   `outDir` is not empty without `force`, or lies inside the course or contains it
 * @example writeGradescopeBundle('/tmp/ag-week3', { seed: 'my secret', chapters: ['01'] }).zip // '/tmp/ag-week3/autograder.zip'
 */
export function writeGradescopeBundle(outDir: string, options: GradescopeOptions): GradescopeBundle {
  const caller = 'writeGradescopeBundle';
  if (options === null || typeof options !== 'object') throw new TypeError(`${caller}: 'options' must be an object with a 'seed', got ${describe(options)}`);
  const seed = checkSeed(options.seed, caller);
  const chapters = chosenChapters(options.chapters, caller);
  const root = options.courseRoot === undefined ? packageRoot() : path.resolve(checkString('courseRoot', options.courseRoot, caller));
  if (!fs.existsSync(path.join(root, 'package.json'))) throw new Error(`${caller}: 'courseRoot' must be a course folder with a package.json, got ${describe(options.courseRoot ?? root)}`);
  for (const c of chapters) {
    const solution = path.join(root, 'solutions', exerciseFileName(c));
    if (!fs.existsSync(solution)) throw new Error(`${caller}: the bundle needs the reference solution ${solution} to compute the hidden cases of chapter ${c.chapter}`);
  }
  const dir = checkOutputFolder(outDir, options.force === true, root, caller);
  const withZip = options.zip !== false;
  const files: string[] = [];
  writeFolderAtomically(dir, (work) => {
    const write = (name: string, text: string, mode: number) => {
      fs.writeFileSync(path.join(work, name), text, { mode });
      fs.chmodSync(path.join(work, name), mode);
      files.push(name);
    };
    write('setup.sh', gradescopeSetupScript(), 0o755);
    write('run_autograder', gradescopeRunScript(chapters), 0o755);
    write(BUNDLE_SEED_FILE, `${seed}\n`, 0o600);
    write('README.md', bundleReadme(chapters), 0o644);
    for (const entry of fs.readdirSync(root).sort()) {
      if (NOT_BUNDLED.has(entry) || entry.endsWith('.tsbuildinfo')) continue;
      const rel = `${BUNDLE_COURSE_FOLDER}/${entry}`;
      files.push(...copyCourseTree(path.join(root, entry), path.join(work, BUNDLE_COURSE_FOLDER, entry), caller, () => null, rel));
    }
    files.sort();
    if (withZip) zipBundle(work, files, path.join(work, 'autograder.zip'));
  }, 0o700); // the bundle holds the seed and the solutions: its owner's only
  return { dir, zip: withZip ? path.join(dir, 'autograder.zip') : null, files, chapters: chapters.map((c) => c.chapter) };
}
