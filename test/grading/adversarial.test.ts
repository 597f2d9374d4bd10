/**
 * The adversarial suite (issue 4, item 5): a class of submissions that attack or break the grader,
 * graded together in one run with a fixed instructor seed. Each attacker is the reference solution
 * with one function altered to carry its attack (`adversarial/<attack>/attack.ts` holds the
 * alteration and says what it tries; `adversarial/compose.ts` adds the rest of the current
 * solution), so it is otherwise honest and its score can be predicted exactly: every case of the
 * attacked function scores 0, every other case in full.
 *
 * For each attacker: the grader finishes, the gradebook is complete, the attacker gets exactly the
 * points it earned, the honest and partly correct students score exactly as when graded alone, the
 * report names the cause, and the attack left no trace (no file, no process, no connection, no
 * secret in any output, the grader's process alive and at its priority).
 *
 * The class is graded from a scratch copy: the two files that must not compile are kept as
 * `.ts.txt` (so the project's own type-check passes) and renamed there, and what cannot be committed
 * portably is made there: symbolic links to the course folder and a zipped submission.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as dgram from 'node:dgram';
import { createRequire } from 'node:module';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import AdmZip from 'adm-zip';
import * as ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packageRoot } from '../../src/core/paths';
import { chapterCases } from '../../src/grading/cases';
import { compareResult } from '../../src/grading/compare';
import type { CaseStatus } from '../../src/grading/grade';
import { gradeClass, type ChapterGrade, type Gradebook, type StudentFlags, type StudentGrade } from '../../src/grading/gradebook';
import { studentFolders, writeGradebook } from '../../src/grading/gradebookFiles';
import { findSubmissions } from '../../src/grading/submissions';
import { hiddenCases } from '../../src/grading/hidden';
import type { RunOptions } from '../../src/grading/runner';
import type { Case } from '../../src/grading/types';
import { composeAttacker } from './adversarial/compose';

const root = packageRoot();
const ADVERSARIAL = path.join(__dirname, 'adversarial');
const CHAPTER = chapterCases('01');
const FILE = '01-no-free-lunch.ts';
/** Chapter 02, handed in (the reference solution, copied at test time) by a few students: an attack in chapter 01 must not cost it. */
const CHAPTER_2 = chapterCases('02');
const FILE_2 = '02-grammars.ts';
const WITH_CHAPTER_2 = ['honest', 'infinite-loop', 'hang-at-load', 'process-exit', 'carry-across-chapters'];
/** Students whose chapter 02 file is attacked too (`attack-02.ts`): that function's cases score 0 there. */
const CHAPTER_2_ATTACKED: Record<string, string> = { 'carry-across-chapters': 'countFreeCells' };
const SEED = ['adversarial', 'instructor', 'seed', String(40 + 2)].join('-');
/** The grader's own environment holds the seed (as `run_autograder` passes it) and a secret. */
const SECRET = ['secret', 'in', 'the', 'environment', String(7 * 6)].join('-');
const LIMITS: RunOptions = { callTimeoutMs: 2000, loadTimeoutMs: 10_000, totalTimeoutMs: 30_000, heapMb: 256, maxOutputChars: 20_000 };
/** Type-checking limits: 10 s of the checker's processor time, far above an honest file's and far below the slow attacker's. */
const COMPILE = { timeoutMs: 10_000 };
/** Busy loops run beside the grader while it grades, to prove the verdicts do not depend on load (issue 17, class 9): `NASBOOK_ADVERSARIAL_LOAD=4`. */
const LOAD = Number(process.env.NASBOOK_ADVERSARIAL_LOAD ?? 0);

/**
 * Attackers made at test time, because their files cannot be committed (they would break the
 * project's own type check, or are megabytes): the reference solution plus a tail.
 */
const GENERATED: Record<string, () => string> = {
  // A few kilobytes of nested array literals: deeper than the checker's stack.
  'typecheck-stack-bomb': () => `\nexport const deep = ${'['.repeat(20_000)}1${']'.repeat(20_000)};\n`,
  // Unions of object types with no discriminant: relating them costs the checker minutes per line.
  'typecheck-slow': () => {
    const n = 2000;
    const lines = [`type SlowA = ${Array.from({ length: n }, (_, i) => `{ p${i}: number; q: string }`).join(' | ')};`];
    for (let k = 0; k < 3; k++) {
      lines.push(`type SlowB${k} = ${Array.from({ length: n }, (_, i) => `{ p${n - 1 - i}: number; q: string; r${k}?: ${k} }`).join(' | ')};`);
      lines.push(`export function slow${k}(x: SlowA): SlowB${k} { return x; }`);
    }
    return `\n${lines.join('\n')}\n`;
  },
  // Over the size limit of an exercise file (1 MiB): never type-checked at all.
  'oversize-file': () => `\nexport const padding = ${JSON.stringify('x'.repeat(2 * 1024 * 1024))};\n`,
};

/**
 * Entries of the submissions folder that are not a plain student folder (issue 17, class 6), made
 * at test time: each must get a row, flagged with what was wrong, and none may stop the class.
 * `grades.csv` is a student folder with an honest file, named like the gradebook's own file.
 */
const ENTRIES: { name: string | Buffer; row: string; problem: string | null }[] = [
  { name: 'grades.csv', row: 'grades.csv', problem: null },
  { name: 'gradebook.json', row: 'gradebook.json', problem: null },
  { name: Buffer.from([0x62, 0x61, 0x64, 0xff, 0xfe, 0x6e, 0x61, 0x6d, 0x65]), row: 'bad\ufffd\ufffdname', problem: 'name-not-utf8' },
  { name: 'conflict.zip', row: 'conflict', problem: 'zip-conflict' },
  { name: 'long-names.zip', row: 'long-names', problem: 'name-too-long' },
  { name: 'tarball.tar.gz', row: 'tarball.tar.gz', problem: 'not-a-submission' },
  { name: 'linked-folder', row: 'linked-folder', problem: 'symlink' },
  { name: 'fifo.zip', row: 'fifo.zip', problem: 'special-file' },
];
/** The row names of the entries that are graded as ordinary students (full marks on chapter 01). */
const ENTRY_STUDENTS = ENTRIES.filter((e) => e.problem === null).map((e) => e.row);

const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'nasbook-adversarial-'));
const klass = path.join(scratch, 'class');
const alone = path.join(scratch, 'alone');
const markers = path.join(scratch, 'markers');
const out = path.join(scratch, 'out');
const tmp = path.join(scratch, 'tmp');
fs.mkdirSync(tmp);
let udp: dgram.Socket;
let packageBefore: string[];
let tmpAfter: string[] = [];

/**
 * The package tree as an attack could change it: the names at its top, and every file (with its
 * size) of the folders a student's process reads or an attack would aim at.
 */
function packageListing(): string[] {
  const listing = fs.readdirSync(root).filter((n) => n !== 'test-results');
  const walk = (dir: string, depth: number) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, e.name);
      if (e.isDirectory() && depth < 8) walk(full, depth + 1);
      else listing.push(`${path.relative(root, full)} ${e.isFile() ? fs.statSync(full).size : 'not a file'}`);
    }
  };
  for (const folder of ['dist', 'solutions', 'exercises', 'notebooks']) if (fs.existsSync(path.join(root, folder))) walk(path.join(root, folder), 0);
  return listing.sort();
}

/** The submissions-folder entries of issue 17's class 6, made in the scratch class. */
function makeEntries(): void {
  for (const name of ENTRY_STUDENTS) {
    fs.mkdirSync(path.join(klass, name, 'exercises'), { recursive: true });
    fs.copyFileSync(path.join(klass, 'honest', 'exercises', FILE), path.join(klass, name, 'exercises', FILE));
  }
  const badName = Buffer.concat([Buffer.from(klass + path.sep), ENTRIES[2].name as Buffer]);
  fs.mkdirSync(badName);
  const conflict = new AdmZip();
  conflict.addFile(`exercises/${FILE}`, Buffer.from('export {};\n'));
  conflict.addFile(`exercises/${FILE}/inside.ts`, Buffer.from('export {};\n'));
  conflict.writeZip(path.join(klass, 'conflict.zip'));
  const long = new AdmZip();
  long.addFile(`exercises/${'n'.repeat(300)}.ts`, Buffer.from('export {};\n'));
  long.addFile(`exercises/${FILE}`, fs.readFileSync(path.join(klass, 'honest', 'exercises', FILE)));
  long.writeZip(path.join(klass, 'long-names.zip'));
  fs.writeFileSync(path.join(klass, 'tarball.tar.gz'), Buffer.from([0x1f, 0x8b, 0x08, 0x00]));
  fs.symlinkSync(path.join(klass, 'honest'), path.join(klass, 'linked-folder'));
  execFileSync('mkfifo', [path.join(klass, 'fifo.zip')]);
}

/**
 * Markdown as a reader sees it: the text outside code (fenced blocks, closed only by a fence at
 * least as long as the one that opened them, and inline code spans).
 */
function prose(markdown: string): string {
  const outside: string[] = [];
  let fence: string | null = null;
  for (const line of markdown.split('\n')) {
    const m = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(line);
    if (fence === null && m) fence = m[1];
    else if (fence !== null && m && m[1][0] === fence[0] && m[1].length >= fence.length && m[2].trim() === '') fence = null;
    else if (fence === null) outside.push(line);
  }
  if (fence !== null) return `UNCLOSED FENCE\n${outside.join('\n')}`;
  // Inline code: a run of n backticks up to the next run of exactly n.
  return outside.join('\n').replace(/(`+)([\s\S]*?[^`])\1(?!`)/g, ' ');
}

/** What each attacker should score and how the report should name the cause. */
interface Expectation {
  student: string;
  /** The function the attack lives in: its cases score 0. 'all' = the file scores 0; 'none' = harmless by design. */
  attacked: string | 'all' | 'none';
  /** Statuses the attacked function's cases may end with, and what their message says. */
  status?: CaseStatus[];
  message?: RegExp;
  /** Flags the student must carry. */
  flags?: (keyof StudentFlags)[];
}

const NOT_ALLOWED = /restricted|not allowed|denied|permission/i;

const EXPECTATIONS: Expectation[] = [
  { student: 'honest', attacked: 'none' },
  { student: 'infinite-loop', attacked: 'countTasks', status: ['timeout'], message: /did not finish within 2 s/, flags: ['timeout'] },
  { student: 'never-settles', attacked: 'countTasks', status: ['timeout'], message: /did not finish within 2 s/, flags: ['timeout'] },
  { student: 'memory-bomb', attacked: 'countTasks', status: ['crash'], message: /out of memory/, flags: ['crash'] },
  { student: 'offheap-memory-bomb', attacked: 'countTasks', status: ['crash'], message: /memory/i, flags: ['crash'] },
  { student: 'process-exit', attacked: 'countTasks', status: ['crash'], message: /exit code 0/, flags: ['crash'] },
  { student: 'kill-parent', attacked: 'countTasks', status: ['error'], message: /kill/ },
  { student: 'kill-parent-internals', attacked: 'countTasks', status: ['error'], message: /no way to the parent/ },
  { student: 'renice-parent', attacked: 'countTasks', status: ['error'], message: /restricted|not allowed|denied|permission|setPriority/i },
  { student: 'read-solutions', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'read-classmate', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'read-seed', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'read-env', attacked: 'countTasks', status: ['error'], message: /no environment to read/ },
  { student: 'write-files', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'spawn-process', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'import-blocked', attacked: 'countTasks', status: ['error'], message: /importing 'child_process' is not allowed/ },
  { student: 'import-blocked-toplevel', attacked: 'all', status: ['error'], message: /failed to load.*importing 'child_process' is not allowed/ },
  { student: 'network-exfiltration', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'symlink-solutions', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'zipped-read-solutions', attacked: 'countTasks', status: ['error'], message: NOT_ALLOWED },
  { student: 'patch-object-prototype', attacked: 'familyOtsCounts', status: ['fail'], message: /expected .*, got / },
  { student: 'patch-array-prototype', attacked: 'nearestNeighbourPredict', status: ['fail'], message: /expected .*, got / },
  { student: 'patch-json', attacked: 'countTasks', status: ['fail'], message: /^expected \d+, got \d+$/ },
  { student: 'patch-math', attacked: 'countTasks', status: ['fail'], message: /^expected \d+, got \d+\.5$/ },
  { student: 'patch-console', attacked: 'countTasks', status: ['fail'], message: /^expected \d+, got \d+$/, flags: ['tamper'] },
  { student: 'forge-fd3', attacked: 'countTasks', status: ['fail', 'crash', 'error'], message: /./, flags: ['tamper'] },
  { student: 'forge-signed-lines', attacked: 'countTasks', status: ['fail'], message: /^expected \d+, got \d+$/ },
  { student: 'fake-pass-output', attacked: 'countTasks', status: ['fail'], message: /^expected \d+, got \d+$/ },
  { student: 'flood-stdout', attacked: 'none' },
  { student: 'flood-fd3', attacked: 'countTasks', status: ['crash'], message: /flooded the result channel/, flags: ['crash', 'tamper'] },
  { student: 'throw-non-error', attacked: 'countTasks', status: ['error'], message: /non-Error thrown/ },
  { student: 'return-nan', attacked: 'countTasks', status: ['fail'], message: /got NaN/ },
  { student: 'return-circular', attacked: 'familyOtsCounts', status: ['error'], message: /circular/ },
  { student: 'return-huge-array', attacked: 'nearestNeighbourPredict', status: ['error'], message: /too large/ },
  { student: 'return-deep-nesting', attacked: 'countTasks', status: ['fail', 'error'], message: /./ },
  { student: 'return-exotic', attacked: 'familyOtsCounts', status: ['fail', 'error'], message: /./ },
  { student: 'prototype-pollution', attacked: 'familyOtsCounts', status: ['fail'], message: /__proto__/ },
  { student: 'syntax-error', attacked: 'all', status: ['compile-error'], message: /01-no-free-lunch\.ts\(19,\d+\): '\)' expected/, flags: ['compileError'] },
  { student: 'type-error', attacked: 'all', status: ['compile-error'], message: /not assignable to type 'number'/, flags: ['compileError'] },
  { student: 'missing-export', attacked: 'nearestNeighbourPredict', status: ['error'], message: /does not export a function 'nearestNeighbourPredict'/ },
  { student: 'hang-at-load', attacked: 'all', status: ['timeout'], message: /did not (finish|load)|time limit/, flags: ['timeout'] },
  { student: 'print-hidden-inputs', attacked: 'none' },
  { student: 'write-past-sandbox', attacked: 'countTasks', status: ['error'], message: /not allowed/ },
  { student: 'carry-across-chapters', attacked: 'none' },
  { student: 'forge-huge-message', attacked: 'countTasks', status: ['error'], message: /Total: \*\*999\/999\*\*[\s\S]*cut at 2000 characters/ },
  { student: 'network-side-doors', attacked: 'countTasks', status: ['error'], message: /not allowed/ },
  { student: 'library-answer', attacked: 'countTasks', status: ['error'], message: /nasbook's own 'countTasks'/, flags: ['library'] },
  { student: 'library-answer-deep', attacked: 'countTasks', status: ['error'], message: /nasbook's own 'countTasks'/, flags: ['library'] },
  { student: 'typecheck-stack-bomb', attacked: 'all', status: ['compile-error'], message: /nested too deeply|stack/, flags: ['compileError'] },
  { student: 'typecheck-slow', attacked: 'all', status: ['compile-error'], message: /took too long/, flags: ['compileError'] },
  { student: 'oversize-file', attacked: 'all', status: ['compile-error'], message: /at most 1048576/, flags: ['compileError'] },
  { student: 'empty', attacked: 'all', flags: ['missing'] },
];

/** Students whose expected score is computed by calling their module in this process (they are benign). */
const COMPUTED = ['partial', 'hardcoded-public'];
/** A submission whose exercise file is a symbolic link to the reference solution: it handed in nothing of its own. */
const LINKED = 'symlinked-exercise';

/** The words the gradebook uses for hidden causes (gradebook.ts's CAUSE_WORDS). */
const CAUSE_WORDS: Record<CaseStatus, string> = {
  pass: 'passed', fail: 'wrong answer', todo: 'not done', error: 'threw an error', timeout: 'timed out', crash: 'crashed', 'compile-error': 'did not compile',
};

let hidden: Case[];
let allCases: Case[];
let chapter2Max: number;
let hidden2: Case[];
let cases2: Case[];
let book: Gradebook | undefined;
let bookAlone: Gradebook | undefined;
let gradingError: unknown;
let writingError: unknown;
const received: string[] = [];
/** Exceptions nobody caught while the class was graded: in the `nasbook grade` CLI, each would end the grader. */
const uncaught: unknown[] = [];
const recordUncaught = (e: unknown) => uncaught.push(e);
let server: net.Server;
let priorityBefore: number;
const fingerprints = new Map<string, string>();
const expectedComputed = new Map<string, number>();

function sha(file: string): string {
  const stat = fs.statSync(file);
  return `${createHash('sha256').update(fs.readFileSync(file)).digest('hex')} ${stat.mtimeMs}`;
}

/**
 * Copy the committed attackers into `to`: each attacker's exercise file is composed from its
 * `attack.ts` and the current reference solution; the `.ts.txt` files that must not compile are renamed.
 */
function copyClass(to: string, only?: string[]): void {
  const solution = fs.readFileSync(path.join(root, 'solutions', FILE), 'utf8');
  for (const entry of fs.readdirSync(ADVERSARIAL, { withFileTypes: true })) {
    if (!entry.isDirectory() || (only && !only.includes(entry.name))) continue;
    const attack = path.join(ADVERSARIAL, entry.name, 'attack.ts');
    const attack2 = path.join(ADVERSARIAL, entry.name, 'attack-02.ts');
    fs.cpSync(path.join(ADVERSARIAL, entry.name), path.join(to, entry.name), { recursive: true, filter: (src) => src !== attack && src !== attack2 });
    if (fs.existsSync(attack2)) {
      fs.mkdirSync(path.join(to, entry.name, 'exercises'), { recursive: true });
      fs.writeFileSync(path.join(to, entry.name, 'exercises', FILE_2), composeAttacker(fs.readFileSync(path.join(root, 'solutions', FILE_2), 'utf8'), fs.readFileSync(attack2, 'utf8')));
    }
    if (fs.existsSync(attack)) {
      fs.mkdirSync(path.join(to, entry.name, 'exercises'), { recursive: true });
      fs.writeFileSync(path.join(to, entry.name, 'exercises', FILE), composeAttacker(solution, fs.readFileSync(attack, 'utf8')));
    }
    const broken = path.join(to, entry.name, 'exercises', `${FILE}.txt`);
    if (fs.existsSync(broken)) fs.renameSync(broken, broken.slice(0, -'.txt'.length));
  }
}

/** Points of every case except those of `fn`. */
function pointsExcept(fn: string): number {
  if (fn === 'all') return 0;
  return allCases.filter((c) => c.fn !== fn).reduce((t, c) => t + c.points, 0);
}

function maxPoints(): number {
  return allCases.reduce((t, c) => t + c.points, 0);
}

/** Score a benign module (its composed file in the scratch class) by calling it here, with the grader's comparison. */
async function scoreInProcess(student: string): Promise<number> {
  const source = fs.readFileSync(path.join(klass, student, 'exercises', FILE), 'utf8');
  const js = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true } }).outputText;
  const load = createRequire(path.join(root, 'package.json'));
  const loaded = { exports: {} as Record<string, (...args: unknown[]) => unknown> };
  new Function("require", "module", "exports", js)(load, loaded, loaded.exports);
  const mod = loaded.exports;
  let score = 0;
  for (const c of allCases) {
    const got = mod[c.fn](...structuredClone(c.args));
    if (compareResult(c.expected, got, c.tolerance ?? 0).ok) score += c.points;
  }
  return score;
}

function graded(): Gradebook {
  if (gradingError !== undefined) throw new Error(`gradeClass did not finish: ${String((gradingError as Error)?.stack ?? gradingError)}`);
  return book!;
}

/** The folder the gradebook was written to (after checking it was). */
function written(): string {
  graded();
  if (writingError !== undefined) throw new Error(`writeGradebook failed: ${String((writingError as Error)?.stack ?? writingError)}`);
  return out;
}

function student(name: string, from: Gradebook = graded()): StudentGrade {
  const s = from.students.find((x) => x.student === name);
  if (!s) throw new Error(`the gradebook has no student '${name}'`);
  return s;
}

function chapterOf(s: StudentGrade, chapter = '01'): ChapterGrade {
  const c = s.chapters.find((x) => x.chapter === chapter);
  if (!c) throw new Error(`student '${s.student}' has no chapter ${chapter}`);
  return c;
}

/** Chapter 02's points for a student: full for those who handed in its reference solution. */
function chapter2Points(name: string): number {
  if (!WITH_CHAPTER_2.includes(name)) return 0;
  const attacked = CHAPTER_2_ATTACKED[name];
  return attacked ? cases2.filter((c) => c.fn !== attacked).reduce((t, c) => t + c.points, 0) : chapter2Max;
}

/** Every file the student is given: feedback.md and Gradescope's results.json. */
function studentFacing(name: string): string {
  const folder = studentFolders(graded()).get(name)!;
  return ['feedback.md', 'results.json'].map((f) => fs.readFileSync(path.join(written(), 'students', folder, f), 'utf8')).join('\n');
}

/** Files the attacks try to create; none may exist after grading. */
function markerFiles(): string[] {
  return [
    ...fs.readdirSync(markers).map((f) => path.join(markers, f)),
    ...['write-marker.txt', 'link-marker'].map((f) => path.join(klass, 'write-files', 'exercises', f)).filter((f) => fs.existsSync(f) || isLink(f)),
  ];
}

/** Where `needle` occurs in `text`, with some context; null when it does not (a readable failure). */
function findIn(text: string, needle: string): string | null {
  const at = text.indexOf(needle);
  return at < 0 ? null : `...${text.slice(Math.max(0, at - 120), at + needle.length + 120)}...`;
}

function isLink(file: string): boolean {
  try {
    return fs.lstatSync(file).isSymbolicLink();
  } catch {
    return false;
  }
}

beforeAll(async () => {
  fs.mkdirSync(markers);
  copyClass(klass);
  copyClass(alone, ['honest']);
  for (const dir of [...WITH_CHAPTER_2.filter((n) => !CHAPTER_2_ATTACKED[n]).map((n) => path.join(klass, n)), path.join(alone, 'honest')]) {
    fs.copyFileSync(path.join(root, 'solutions', FILE_2), path.join(dir, 'exercises', FILE_2));
  }

  const solution = fs.readFileSync(path.join(root, 'solutions', FILE), 'utf8');
  for (const [name, tail] of Object.entries(GENERATED)) {
    fs.mkdirSync(path.join(klass, name, 'exercises'), { recursive: true });
    fs.writeFileSync(path.join(klass, name, 'exercises', FILE), solution + tail());
  }

  // The servers an exfiltrating attacker phones home to: TCP, and UDP on the same port number (datagrams, DNS).
  server = net.createServer((socket) => socket.on('data', (d) => received.push(d.toString('utf8'))));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  udp = dgram.createSocket('udp4');
  udp.on('message', (d) => received.push(`udp: ${d.toString('utf8')}`));
  await new Promise<void>((resolve) => udp.bind(port, '127.0.0.1', resolve));
  for (const name of fs.readdirSync(klass)) {
    const exercises = path.join(klass, name, 'exercises');
    if (fs.existsSync(exercises)) fs.writeFileSync(path.join(exercises, 'attack.json'), JSON.stringify({ markerDir: markers, port }));
  }

  // A link inside a submission to the course folder, and an exercise file that is a link to the solution.
  fs.symlinkSync(root, path.join(klass, 'symlink-solutions', 'exercises', 'course'));
  fs.mkdirSync(path.join(klass, LINKED, 'exercises'), { recursive: true });
  fs.symlinkSync(path.join(root, 'solutions', FILE), path.join(klass, LINKED, 'exercises', FILE));
  // A zipped attacker: unpacked by the grader, it must be sandboxed the same way.
  const zip = new AdmZip();
  for (const f of fs.readdirSync(path.join(klass, 'read-solutions', 'exercises'))) {
    zip.addFile(`exercises/${f}`, fs.readFileSync(path.join(klass, 'read-solutions', 'exercises', f)));
  }
  zip.writeZip(path.join(klass, 'zipped-read-solutions.zip'));

  makeEntries();
  hidden = await hiddenCases(CHAPTER, SEED);
  allCases = [...CHAPTER.publicCases, ...hidden];
  hidden2 = await hiddenCases(CHAPTER_2, SEED);
  cases2 = [...CHAPTER_2.publicCases, ...hidden2];
  chapter2Max = cases2.reduce((t, c) => t + c.points, 0);
  for (const name of COMPUTED) expectedComputed.set(name, await scoreInProcess(name));

  for (const f of [path.join(root, 'dist', 'grading', 'child.js'), path.join(root, 'solutions', FILE)]) fingerprints.set(f, sha(f));
  priorityBefore = os.getPriority(process.pid);
  packageBefore = packageListing();
  // The grader's temporary folders (its own and every child's private working folder) go here, so
  // the test can see that all of them are gone afterwards, whatever other processes do in /tmp.
  const savedTmp = process.env.TMPDIR;
  process.env.TMPDIR = tmp;
  const load: ChildProcess[] = Array.from({ length: LOAD }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  const savedEnv = { seed: process.env.NASBOOK_SEED, secret: process.env.NASBOOK_ADVERSARIAL_SECRET };
  process.env.NASBOOK_SEED = SEED;
  process.env.NASBOOK_ADVERSARIAL_SECRET = SECRET;
  process.on('uncaughtException', recordUncaught);
  process.on('unhandledRejection', recordUncaught);
  try {
    book = await gradeClass(klass, { seed: SEED, jobs: 2, chapters: ['01', '02'], limits: LIMITS, compile: COMPILE });
  } catch (e) {
    gradingError = e;
  } finally {
    for (const busy of load) busy.kill('SIGKILL');
    if (savedTmp === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = savedTmp;
    process.off('uncaughtException', recordUncaught);
    process.off('unhandledRejection', recordUncaught);
    for (const [key, value] of [['NASBOOK_SEED', savedEnv.seed], ['NASBOOK_ADVERSARIAL_SECRET', savedEnv.secret]] as const) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
  if (book) {
    try {
      writeGradebook(book, out);
    } catch (e) {
      writingError = e;
    }
  }
  tmpAfter = fs.readdirSync(tmp);
  bookAlone = await gradeClass(alone, { seed: SEED, jobs: 1, chapters: ['01', '02'], limits: LIMITS, compile: COMPILE });
  // 25 minutes: at load 25-28 on 2 cores the class took 8 minutes, and more with a bench beside it.
}, 1_500_000);

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await new Promise<void>((resolve) => udp.close(() => resolve()));
  // An attack that lowered this process's priority is reported below; undo it for the tests after.
  if (os.getPriority(process.pid) !== priorityBefore) os.setPriority(process.pid, priorityBefore);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('the grader under attack', () => {
  it('finishes and returns a complete gradebook: every submission, exactly once', () => {
    const plain = [...fs.readdirSync(klass)].filter((n) => !ENTRIES.some((e) => typeof e.name === 'string' && e.name === n) && !n.startsWith('bad'));
    const names = [...plain.map((n) => n.replace(/\.zip$/, '')), ...ENTRIES.map((e) => e.row)].sort();
    expect(graded().students.map((s) => s.student).sort()).toEqual(names);
    expect(fs.readdirSync(klass, { encoding: 'buffer' })).toHaveLength(names.length);
    expect(plain).toHaveLength(EXPECTATIONS.length + COMPUTED.length + 1);
    for (const s of graded().students) {
      expect(s.chapters.map((c) => c.chapter)).toEqual(['01', '02']);
      expect(chapterOf(s).max).toBe(maxPoints());
      expect(chapterOf(s, '02').max).toBe(chapter2Max);
      expect(s.total).toBe(s.chapters.reduce((t, c) => t + c.score, 0));
      // A score is what the cases earned, no more.
      for (const c of s.chapters) {
        expect(c.score).toBe(c.publicResults.reduce((t, r) => t + r.earned, 0) + c.hidden.score);
        expect(c.hidden.score).toBeLessThanOrEqual(c.hidden.max);
      }
    }
  });

  it('threw nothing it did not catch (the CLI would have died)', () => {
    expect(uncaught.map((e) => String((e as Error)?.stack ?? e).split('\n').slice(0, 4).join(' | '))).toEqual([]);
  });

  it('is still alive, at the priority it started with', () => {
    expect(() => process.kill(process.pid, 0)).not.toThrow();
    expect(os.getPriority(process.pid)).toBe(priorityBefore);
  });

  it('let no attack write a file, start a process or change the course', () => {
    expect(markerFiles()).toEqual([]);
    for (const [file, print] of fingerprints) expect(sha(file)).toBe(print);
  });

  it('let no byte out over the network', () => {
    expect(received).toEqual([]);
  });

  it('let no secret, solution or classmate into what any student printed', () => {
    for (const s of graded().students) {
      for (const word of [SEED, SECRET, 'STOLEN', 'LEAKED', 'COPIED', 'reference solution']) {
        expect(findIn(s.chapters.map((c) => c.output).join('\n'), word), `${s.student} printed ${word}`).toBeNull();
      }
    }
  });

  it('writes the whole gradebook, with no secret in it', () => {
    const everything = [
      fs.readFileSync(path.join(written(), 'gradebook.json'), 'utf8'),
      fs.readFileSync(path.join(written(), 'grades.csv'), 'utf8'),
      ...graded().students.map((s) => studentFacing(s.student)),
    ].join('\n');
    for (const word of [SEED, SECRET, 'STOLEN', 'LEAKED', 'COPIED', 'reference solution']) expect(findIn(everything, word), word).toBeNull();
  });

  it('let no result pollute the prototype of its own objects', () => {
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype.hasOwnProperty.call(Object.prototype, 'polluted')).toBe(false);
  });
});

describe('other students are unharmed', () => {
  it('the honest student gets full marks, exactly as when graded alone', () => {
    const inClass = student('honest');
    const byItself = student('honest', bookAlone!);
    expect(inClass.total).toBe(maxPoints() + chapter2Max);
    expect(byItself.total).toBe(maxPoints() + chapter2Max);
    expect(inClass.flags).toEqual({ missing: false, compileError: false, timeout: false, crash: false, tamper: false, library: false });
    expect(chapterOf(inClass).publicResults.map((r) => r.status)).toEqual(chapterOf(byItself).publicResults.map((r) => r.status));
    expect(chapterOf(inClass).hidden).toEqual(chapterOf(byItself).hidden);
    expect(chapterOf(inClass, '02').score).toBe(chapterOf(byItself, '02').score);
  });

  it.each(WITH_CHAPTER_2.filter((n) => n !== 'honest' && !CHAPTER_2_ATTACKED[n]))('%s keeps full marks on chapter 02: its chapter 01 attack costs only chapter 01', (name) => {
    const c = chapterOf(student(name), '02');
    expect(c.publicResults.filter((r) => r.status !== 'pass').map((r) => `${r.name}: ${r.status} ${r.message}`)).toEqual([]);
    expect(c.score).toBe(chapter2Max);
  });

  it.each(COMPUTED)('%s gets exactly the points its own functions earn', (name) => {
    const s = student(name);
    expect(expectedComputed.get(name)).toBeGreaterThan(0);
    expect(expectedComputed.get(name)).toBeLessThan(maxPoints());
    expect(s.total).toBe(expectedComputed.get(name)! + chapter2Points(name));
    expect(chapterOf(s).flags).toEqual({ missing: false, compileError: false, timeout: false, crash: false, tamper: false, library: false });
  });

  it('the honest student is told nothing but its results (not even Node warnings)', () => {
    expect(chapterOf(student('honest')).output).toBe('');
  });
});

describe.each(EXPECTATIONS)('attacker $student', (e) => {
  it('gets exactly the points it earned', () => {
    const expected = e.attacked === 'none' ? maxPoints() : pointsExcept(e.attacked);
    expect(chapterOf(student(e.student)).score).toBe(expected);
    expect(student(e.student).total).toBe(expected + chapter2Points(e.student));
  });

  it.runIf(e.status !== undefined)('is told the cause: the attacked cases say what happened', () => {
    const c = chapterOf(student(e.student));
    const attacked = c.publicResults.filter((r) => e.attacked === 'all' || r.fn === e.attacked);
    expect(attacked.length).toBeGreaterThan(0);
    for (const r of attacked) {
      expect(r.status, `${r.name}: ${r.message}`).toBeOneOf(e.status!);
      expect(r.message, r.name).toMatch(e.message!);
    }
    // Hidden cases are reported as counts, by cause.
    expect(c.hidden.causes.join(', ')).toMatch(new RegExp(e.status!.map((s) => CAUSE_WORDS[s]).join('|')));
  });

  it.runIf((e.flags ?? []).length > 0)('carries the flags of its cause', () => {
    const s = student(e.student);
    for (const flag of e.flags!) expect(chapterOf(s).flags[flag]).toBe(true);
    for (const flag of e.flags!) expect(s.flags[flag]).toBe(true);
  });

  it.runIf((e.flags ?? []).length > 0)('is told the problem in its feedback', () => {
    expect(fs.readFileSync(path.join(written(), 'students', e.student, 'feedback.md'), 'utf8')).toMatch(/^Problems: |No file/m);
  });
});

describe('what attackers are told', () => {
  it('an empty submission is a missing file worth 0', () => {
    const c = chapterOf(student('empty'));
    expect(c.file).toBeNull();
    expect(c.score).toBe(0);
  });

  it('an exercise file that is a link to the reference solution earns nothing', () => {
    const s = student(LINKED);
    expect(s.total).toBe(0);
    expect(s.flags.missing || s.flags.tamper).toBe(true);
  });

  it('forged result lines are counted', () => {
    for (const name of ['forge-fd3', 'patch-console', 'flood-fd3']) expect(chapterOf(student(name)).forgedLines).toBeGreaterThan(0);
  });

  it('forged result lines are reported in the feedback', () => {
    for (const name of ['forge-fd3', 'patch-console', 'flood-fd3']) {
      expect(fs.readFileSync(path.join(written(), 'students', name, 'feedback.md'), 'utf8')).toMatch(/forged result lines/);
    }
  });

  it('a flood of output is capped', () => {
    const c = chapterOf(student('flood-stdout'));
    expect(c.output).toContain('FLOOD FLOOD');
    expect(c.output.length).toBeLessThanOrEqual(LIMITS.maxOutputChars!);
  });

  it('printed text that looks like a pass stays inside the printed-output block of the feedback', () => {
    const feedback = fs.readFileSync(path.join(written(), 'students', 'fake-pass-output', 'feedback.md'), 'utf8');
    expect(feedback).toContain('What your code printed');
    const seen = prose(feedback);
    expect(seen).not.toContain('UNCLOSED FENCE');
    expect(seen).not.toContain('59/59');
    expect(seen).not.toContain('PASS');
    expect(seen.match(/^# Feedback for/gm)).toHaveLength(1);
    expect(seen).toContain(`Total: **${pointsExcept('countTasks')}/${maxPoints() + chapter2Max}**`);
    const results = JSON.parse(fs.readFileSync(path.join(written(), 'students', 'fake-pass-output', 'results.json'), 'utf8')) as { score: number };
    expect(results.score).toBe(pointsExcept('countTasks'));
  });

  it('no hidden input reaches the student, even when the code prints its arguments', () => {
    const given = studentFacing('print-hidden-inputs');
    expect(findIn(given, 'HIDDEN')).toBeNull();
    for (const c of hidden) expect(findIn(given, JSON.stringify(c.args)), `hidden input of '${c.name}'`).toBeNull();
    // Prints during hidden cases are dropped, for the instructor too: only the public cases' prints are kept.
    expect(chapterOf(student('print-hidden-inputs')).output).not.toContain('HIDDEN');
  });
});

describe('issue 17: what the new attackers get', () => {
  it('nothing was written past the sandbox: every private working folder is gone, the package tree is as it was', () => {
    expect(tmpAfter).toEqual([]);
    expect(packageListing()).toEqual(packageBefore);
    for (const s of graded().students) for (const c of s.chapters) expect(c.writtenFiles, `${s.student} ${c.chapter}`).toBe(0);
  });

  it('no hidden input of either chapter reaches anything any student sees', () => {
    const secrets = [...hidden.map((c) => JSON.stringify(c.args)), ...hidden2.map((c) => JSON.stringify(c.args))];
    const publicArgs = new Set([...CHAPTER.publicCases, ...CHAPTER_2.publicCases].map((c) => JSON.stringify(c.args)));
    for (const s of graded().students) {
      const given = studentFacing(s.student);
      for (const secret of secrets) if (!publicArgs.has(secret)) expect(findIn(given, secret), `${s.student}: a hidden input`).toBeNull();
    }
  });

  it('state kept by one chapter never reaches another: chapter 02 finds nothing chapter 01 kept', () => {
    const c = chapterOf(student('carry-across-chapters'), '02');
    const attacked = c.publicResults.filter((r) => r.fn === 'countFreeCells');
    expect(attacked.length).toBeGreaterThan(0);
    for (const r of attacked) expect(r.message).toMatch(/CARRIED null nothing/);
  });

  it('a huge error message is cut, and what it forges is inert in every file', () => {
    const c = chapterOf(student('forge-huge-message'));
    for (const r of c.publicResults) expect(r.message.length).toBeLessThan(2200);
    const feedback = fs.readFileSync(path.join(written(), 'students', 'forge-huge-message', 'feedback.md'), 'utf8');
    const seen = prose(feedback);
    expect(seen).not.toContain('UNCLOSED FENCE');
    expect(seen).not.toContain('999');
    expect(seen).not.toContain('<h1>');
    expect(seen.match(/^# Feedback for/gm)).toHaveLength(1);
    expect(fs.statSync(path.join(written(), 'gradebook.json')).size).toBeLessThan(5_000_000);
    const results = JSON.parse(fs.readFileSync(path.join(written(), 'students', 'forge-huge-message', 'results.json'), 'utf8')) as { score: number; output_format: string };
    expect(results.score).toBe(pointsExcept('countTasks'));
    expect(results.output_format).toBe('text');
  });

  it('the library rule names the library function in the feedback', () => {
    for (const name of ['library-answer', 'library-answer-deep']) {
      expect(chapterOf(student(name)).libraryUses).toEqual(['countTasks']);
      expect(fs.readFileSync(path.join(written(), 'students', name, 'feedback.md'), 'utf8')).toMatch(/library's own `` ?countTasks ?``|library's own ` countTasks `/);
    }
  });

  it.each(ENTRIES.map((e) => [e.row, e.problem] as const))('the entry %s gets a row (problem: %s)', (row, problem) => {
    const s = student(row);
    if (problem === null) {
      expect(s.problem).toBeUndefined();
      expect(chapterOf(s).score).toBe(maxPoints());
    } else {
      expect(s.problem?.code).toBe(problem);
      expect(s.total).toBe(0);
    }
    const csv = fs.readFileSync(path.join(written(), 'grades.csv'), 'utf8');
    expect(csv).toContain(problem === null ? `${row},` : `,${problem}\n`);
  });
});

describe('a zip bomb', () => {
  it('whose headers claim it holds nothing is refused with a clear problem, before it is unpacked', () => {
    // 60 MiB of one byte deflates to a few kilobytes; the zip's size fields are then set to 0, so a
    // check that adds up declared sizes sees nothing to refuse.
    const dir = path.join(scratch, 'bomb');
    fs.mkdirSync(dir);
    const zip = new AdmZip();
    zip.addFile(`exercises/${FILE}`, Buffer.alloc(60 * 1024 * 1024, 0x30));
    const bytes = zip.toBuffer();
    expect(bytes.length).toBeLessThan(1024 * 1024);
    const local = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    const central = bytes.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bytes.writeUInt32LE(0, local + 22);
    bytes.writeUInt32LE(0, central + 24);
    fs.writeFileSync(path.join(dir, 'bomber.zip'), bytes);
    const work = path.join(scratch, 'bomb-work');
    const [bomber] = findSubmissions(dir, work);
    expect(bomber.problem).toMatchObject({ code: 'too-large', message: expect.stringMatching(/more than 50 MiB/) });
    expect(fs.existsSync(path.join(work, 'unzipped', 'bomber', 'exercises', FILE))).toBe(false);
  });
});
