/**
 * Finding a class's submissions: one folder or `.zip` per student, named by the student, holding
 * their `exercises/NN-slug.ts` files (or the files at the top, or anywhere inside, as Gradescope
 * uploads them). Every submission is graded from a copy in a work folder that holds regular files
 * only: a symbolic link (to the solutions, to a classmate) is left behind, never followed. Zips
 * are unpacked by nasbook itself, refusing any entry whose path would land outside the folder and
 * inflating each entry with a hard limit, whatever sizes its headers claim.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as zlib from 'node:zlib';
import AdmZip from 'adm-zip';
import { describe } from '../core/checks';

export interface Submission {
  /** The student's name: the folder's name, or the zip's without `.zip` (for a flagged entry, the entry's name as it can be shown). */
  student: string;
  /** The folder holding the student's files (for a zip, where it was unpacked; empty for a flagged entry). */
  dir: string;
  /** Why this entry could not be graded (it still gets a row, with no points): see `PROBLEMS`. */
  problem?: { code: SubmissionProblem; message: string };
}

/** What can be wrong with an entry of the submissions folder; each is a `problem` in grades.csv. */
export const PROBLEMS = {
  'bad-name': 'the name is not a student name (letters, digits, spaces or . _ @ + -, at most 200 characters)',
  'name-not-utf8': 'the name is not valid UTF-8',
  duplicate: 'the student has another submission (a folder and a zip of one name)',
  symlink: 'a symbolic link: links are never followed',
  'special-file': 'not a regular file or folder (a FIFO, socket or device)',
  'not-a-submission': 'a file that is neither a folder nor a .zip archive (unpack a .tar.gz or other archive into a folder)',
  'zip-unreadable': 'the .zip archive cannot be read',
  'zip-unsafe-path': 'the .zip archive holds a path that escapes its folder',
  'zip-conflict': 'the .zip archive holds entries that conflict (a file and a folder of one name)',
  'name-too-long': 'a file name is longer than the file system allows',
  'too-large': 'more than a set of exercise files (too many files or bytes)',
  unreadable: 'the entry could not be read',
} as const;
export type SubmissionProblem = keyof typeof PROBLEMS;

/** An entry that cannot be graded, and why. */
export class SubmissionError extends Error {
  constructor(readonly code: SubmissionProblem, message: string) {
    super(message);
  }
}

/** Limits on one zip: more than this is not a set of exercise files. */
const MAX_ZIP_ENTRIES = 1000;
const MAX_ZIP_BYTES = 50 * 1024 * 1024;
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]*$/u;

function isStudentName(name: string): boolean {
  return SAFE_NAME.test(name) && name.length <= 200;
}

/** A system error while writing a submission's copy, as the problem it means. */
function writeProblem(e: unknown, where: string): SubmissionError {
  const code = (e as NodeJS.ErrnoException).code;
  if (code === 'ENAMETOOLONG') return new SubmissionError('name-too-long', `grade: ${JSON.stringify(where)} holds a name longer than the file system allows`);
  if (code === 'EEXIST' || code === 'ENOTDIR' || code === 'EISDIR') return new SubmissionError('zip-conflict', `grade: ${JSON.stringify(where)} holds a file and a folder of one name`);
  return new SubmissionError('unreadable', `grade: ${JSON.stringify(where)} could not be copied (${code ?? (e as Error).message})`);
}

/**
 * Unpack `zipFile` into `target`. Throws a `SubmissionError`, before writing anything, if an
 * entry's path is absolute or escapes the target (`../`), if the archive is larger than a
 * submission can be, or if entries conflict.
 */
export function unpackZip(zipFile: string, target: string): void {
  let zip: AdmZip;
  try {
    zip = new AdmZip(zipFile);
  } catch (e) {
    throw new SubmissionError('zip-unreadable', `grade: ${JSON.stringify(zipFile)} is not a readable zip archive (${String((e as Error).message).slice(0, 200)})`);
  }
  let entries: AdmZip.IZipEntry[];
  try {
    entries = zip.getEntries();
  } catch (e) {
    throw new SubmissionError('zip-unreadable', `grade: ${JSON.stringify(zipFile)} is not a readable zip archive (${String((e as Error).message).slice(0, 200)})`);
  }
  if (entries.length > MAX_ZIP_ENTRIES) throw new SubmissionError('too-large', `grade: ${JSON.stringify(zipFile)} has ${entries.length} entries; a submission may have at most ${MAX_ZIP_ENTRIES}`);
  const root = path.resolve(target);
  const planned: { to: string; entry: AdmZip.IZipEntry }[] = [];
  const files = new Set<string>();
  const folders = new Set<string>();
  for (const entry of entries) {
    const name = entry.entryName.replace(/\\/g, '/');
    const to = path.resolve(root, name);
    if (path.isAbsolute(name) || name.split('/').includes('..') || (to !== root && !to.startsWith(root + path.sep))) {
      throw new SubmissionError('zip-unsafe-path', `grade: ${JSON.stringify(zipFile)} holds a path that escapes its folder: ${JSON.stringify(entry.entryName.slice(0, 300))}`);
    }
    if (path.relative(root, to).split(path.sep).some((part) => Buffer.byteLength(part) > 255)) {
      throw new SubmissionError('name-too-long', `grade: ${JSON.stringify(zipFile)} holds a name longer than 255 bytes`);
    }
    // Every folder above an entry, and the entry itself: a name may not be both a file and a folder, nor two files.
    for (let dir = path.dirname(to); dir.length > root.length; dir = path.dirname(dir)) folders.add(dir);
    if (entry.isDirectory) folders.add(to);
    else {
      if (files.has(to)) throw new SubmissionError('zip-conflict', `grade: ${JSON.stringify(zipFile)} holds two entries named ${JSON.stringify(name.slice(0, 300))}`);
      files.add(to);
      planned.push({ to, entry });
    }
  }
  for (const f of files) if (folders.has(f)) throw new SubmissionError('zip-conflict', `grade: ${JSON.stringify(zipFile)} holds a file and a folder named ${JSON.stringify(path.relative(root, f).slice(0, 300))}`);
  // Inflate everything into memory first, each entry capped by what is left of the budget (the
  // headers' sizes are the attacker's word), and write only when all of it fits.
  let left = MAX_ZIP_BYTES;
  const contents = planned.map(({ to, entry }) => {
    const data = inflateEntry(zipFile, entry, left);
    left -= data.length;
    return { to, data };
  });
  for (const { to, data } of contents) {
    try {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.writeFileSync(to, data);
    } catch (e) {
      throw writeProblem(e, zipFile);
    }
  }
}

function inflateEntry(zipFile: string, entry: AdmZip.IZipEntry, budget: number): Buffer {
  const tooLarge = () => new SubmissionError('too-large', `grade: ${JSON.stringify(zipFile)} unpacks to more than ${MAX_ZIP_BYTES / 1024 / 1024} MiB`);
  const raw = entry.getCompressedData();
  if (entry.header.method === 0) {
    if (raw.length > budget) throw tooLarge();
    return raw;
  }
  if (entry.header.method !== 8) throw new SubmissionError('zip-unreadable', `grade: ${JSON.stringify(zipFile)} uses a compression method nasbook does not read (${entry.header.method})`);
  try {
    return zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, budget) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new SubmissionError('zip-unreadable', `grade: ${JSON.stringify(zipFile)} has a damaged entry (${String((e as Error).message).slice(0, 200)})`);
  }
}

/** Limits on a submission folder: more than this is not a set of exercise files. */
const MAX_FOLDER_FILES = 2000;
const MAX_FOLDER_DEPTH = 32;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/** A name read as bytes, as text when it is valid UTF-8, else null. */
function utf8Name(name: Buffer): string | null {
  try {
    return strictUtf8.decode(name);
  } catch {
    return null;
  }
}

/**
 * Copy the regular files of `from` into `to` (symbolic links, special files and names that are not
 * UTF-8, which no exercise file has, are left behind), skipping node_modules and hidden folders.
 */
function copyRegularFiles(from: string, to: string, budget = { files: MAX_FOLDER_FILES, bytes: MAX_ZIP_BYTES }, depth = 0): void {
  if (depth > MAX_FOLDER_DEPTH) return;
  fs.mkdirSync(to, { recursive: true });
  for (const raw of fs.readdirSync(from, { encoding: 'buffer' })) {
    const name = utf8Name(raw);
    if (name === null || name === 'node_modules' || name.startsWith('.')) continue;
    const src = path.join(from, name);
    const dst = path.join(to, name);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(src);
    } catch {
      continue;
    }
    if (st.isDirectory()) copyRegularFiles(src, dst, budget, depth + 1);
    else if (st.isFile()) {
      if (--budget.files < 0 || (budget.bytes -= st.size) < 0) throw new SubmissionError('too-large', `grade: submission ${JSON.stringify(from)} holds more than a set of exercise files`);
      try {
        fs.copyFileSync(src, dst);
      } catch (e) {
        // A name too long for the copy's deeper path cannot be an exercise file's: left behind.
        if ((e as NodeJS.ErrnoException).code !== 'ENAMETOOLONG') throw writeProblem(e, src);
      }
    }
  }
}

/** How an entry's name is shown when it is not a student name: printable, bounded. */
function shownName(raw: Buffer): string {
  const text = raw.toString('utf8').replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return text.length > 120 ? `${text.slice(0, 117)}...` : text;
}

/**
 * Every entry under `root`, sorted by student: one `Submission` per entry, so that every entry gets
 * a row in the gradebook. An entry that cannot be graded (a bad name, a link, a special file, an
 * archive that is not a zip, an unsafe or conflicting zip...) carries a `problem` instead of
 * stopping the class. Zips are unpacked and folders copied under `workDir`.
 * @throws Error only if `root` is not an existing folder
 */
export function findSubmissions(root: string, workDir: string): Submission[] {
  if (typeof root !== 'string' || !fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`grade: 'submissions' must be an existing folder, got ${describe(root)}`);
  }
  const found: Submission[] = [];
  const taken = new Set<string>();
  /** A row name no other row has. */
  const unique = (name: string) => {
    let candidate = name;
    for (let k = 2; taken.has(candidate); k++) candidate = `${name} (${k})`;
    taken.add(candidate);
    return candidate;
  };
  const entries = fs.readdirSync(root, { encoding: 'buffer' }).sort(Buffer.compare);
  let slot = 0;
  for (const raw of entries) {
    const decoded = utf8Name(raw);
    const shown = decoded ?? shownName(raw);
    const flagged = (code: SubmissionProblem, message = PROBLEMS[code]) => {
      found.push({ student: unique(shown), dir: '', problem: { code, message: `${JSON.stringify(shown)}: ${message}` } });
    };
    if (decoded === null) {
      flagged('name-not-utf8');
      continue;
    }
    const full = path.join(root, decoded);
    let st: fs.Stats;
    try {
      st = fs.lstatSync(full);
    } catch {
      flagged('unreadable');
      continue;
    }
    const isZip = decoded.toLowerCase().endsWith('.zip');
    const student = isZip && st.isFile() ? decoded.slice(0, -4) : decoded;
    if (st.isSymbolicLink()) flagged('symlink');
    else if (!st.isDirectory() && !st.isFile()) flagged('special-file');
    else if (st.isFile() && !isZip) flagged('not-a-submission');
    else if (!isStudentName(student)) flagged('bad-name');
    else if (taken.has(student)) flagged('duplicate');
    else {
      // A private folder per entry, numbered: the student's name is never part of a path the grader writes.
      const dir = path.join(workDir, 'submissions', String(slot++), 'files');
      try {
        if (st.isDirectory()) copyRegularFiles(full, dir);
        else unpackZip(full, dir);
        found.push({ student: unique(student), dir });
      } catch (e) {
        fs.rmSync(path.dirname(dir), { recursive: true, force: true });
        if (e instanceof SubmissionError) found.push({ student: unique(student), dir: '', problem: { code: e.code, message: e.message } });
        else found.push({ student: unique(student), dir: '', problem: { code: 'unreadable', message: `grade: ${JSON.stringify(decoded)} could not be read (${String((e as Error)?.message ?? e).slice(0, 200)})` } });
      }
    }
  }
  return found.sort((a, b) => a.student.localeCompare(b.student));
}

/** The student's file for a chapter (`01-no-free-lunch.ts`): in exercises/, at the top, or anywhere below; null if absent. */
export function findExerciseFile(submission: Submission, fileName: string): string | null {
  if (submission.problem || !submission.dir) return null;
  for (const candidate of [path.join(submission.dir, 'exercises', fileName), path.join(submission.dir, fileName)]) {
    if (fs.existsSync(candidate) && fs.lstatSync(candidate).isFile()) return candidate;
  }
  const stack = [submission.dir];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full); // Dirent: a link is neither a directory nor a file
      else if (e.isFile() && e.name === fileName) return full;
    }
  }
  return null;
}
