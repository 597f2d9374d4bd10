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
  /** The student's name: the folder's name, or the zip's without `.zip`. */
  student: string;
  /** The folder holding the student's files (for a zip, where it was unpacked). */
  dir: string;
}

/** Limits on one zip: more than this is not a set of exercise files. */
const MAX_ZIP_ENTRIES = 1000;
const MAX_ZIP_BYTES = 50 * 1024 * 1024;
const SAFE_NAME = /^[\p{L}\p{N}][\p{L}\p{N} ._@+-]*$/u;

function checkStudentName(name: string, where: string): string {
  if (!SAFE_NAME.test(name) || name.length > 200) {
    throw new RangeError(`grade: submission ${JSON.stringify(where)} must be named by the student with letters, digits, spaces or . _ @ + - (got ${JSON.stringify(name)})`);
  }
  return name;
}

/**
 * Unpack `zipFile` into `target`. Throws, before writing anything, if an entry's path is absolute
 * or escapes the target (`../`), or if the archive is larger than a submission can be.
 */
export function unpackZip(zipFile: string, target: string): void {
  let zip: AdmZip;
  try {
    zip = new AdmZip(zipFile);
  } catch (e) {
    throw new Error(`grade: ${JSON.stringify(zipFile)} is not a readable zip archive (${(e as Error).message})`);
  }
  const entries = zip.getEntries();
  if (entries.length > MAX_ZIP_ENTRIES) throw new RangeError(`grade: ${JSON.stringify(zipFile)} has ${entries.length} entries; a submission may have at most ${MAX_ZIP_ENTRIES}`);
  const root = path.resolve(target);
  const planned: { to: string; entry: AdmZip.IZipEntry }[] = [];
  for (const entry of entries) {
    const name = entry.entryName.replace(/\\/g, '/');
    const to = path.resolve(root, name);
    if (path.isAbsolute(name) || name.split('/').includes('..') || (to !== root && !to.startsWith(root + path.sep))) {
      throw new RangeError(`grade: ${JSON.stringify(zipFile)} holds a path that escapes its folder: ${JSON.stringify(entry.entryName)}`);
    }
    if (!entry.isDirectory) planned.push({ to, entry });
  }
  // Inflate everything into memory first, each entry capped by what is left of the budget (the
  // headers' sizes are the attacker's word), and write only when all of it fits.
  let left = MAX_ZIP_BYTES;
  const contents = planned.map(({ to, entry }) => {
    const data = inflateEntry(zipFile, entry, left);
    left -= data.length;
    return { to, data };
  });
  for (const { to, data } of contents) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, data);
  }
}

function inflateEntry(zipFile: string, entry: AdmZip.IZipEntry, budget: number): Buffer {
  const tooLarge = () => new RangeError(`grade: ${JSON.stringify(zipFile)} unpacks to more than ${MAX_ZIP_BYTES / 1024 / 1024} MiB`);
  const raw = entry.getCompressedData();
  if (entry.header.method === 0) {
    if (raw.length > budget) throw tooLarge();
    return raw;
  }
  if (entry.header.method !== 8) throw new RangeError(`grade: ${JSON.stringify(zipFile)} uses a compression method nasbook does not read (${entry.header.method}) for ${JSON.stringify(entry.entryName)}`);
  try {
    return zlib.inflateRawSync(raw, { maxOutputLength: Math.max(1, budget) });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw tooLarge();
    throw new Error(`grade: ${JSON.stringify(zipFile)} has a damaged entry ${JSON.stringify(entry.entryName)} (${(e as Error).message})`);
  }
}

/** Limits on a submission folder: more than this is not a set of exercise files. */
const MAX_FOLDER_FILES = 2000;

/**
 * Copy the regular files of `from` into `to` (symbolic links and special files are left behind),
 * skipping node_modules and hidden folders.
 */
function copyRegularFiles(from: string, to: string, budget = { files: MAX_FOLDER_FILES, bytes: MAX_ZIP_BYTES }): void {
  fs.mkdirSync(to, { recursive: true });
  for (const e of fs.readdirSync(from, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
    const src = path.join(from, e.name);
    const dst = path.join(to, e.name);
    const st = fs.lstatSync(src);
    if (st.isDirectory()) copyRegularFiles(src, dst, budget);
    else if (st.isFile()) {
      if (--budget.files < 0 || (budget.bytes -= st.size) < 0) throw new RangeError(`grade: submission ${JSON.stringify(from)} holds more than a set of exercise files`);
      fs.copyFileSync(src, dst);
    }
  }
}

/**
 * Every submission under `root`, sorted by student. Zips are unpacked under `workDir`.
 * @throws Error if `root` is not an existing folder, a name is unsafe or appears twice, or a zip is unsafe
 */
export function findSubmissions(root: string, workDir: string): Submission[] {
  if (typeof root !== 'string' || !fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    throw new Error(`grade: 'submissions' must be an existing folder, got ${describe(root)}`);
  }
  const found = new Map<string, Submission>();
  for (const entry of fs.readdirSync(root, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name.startsWith('.')) continue;
    const full = path.join(root, entry.name);
    let submission: Submission | null = null;
    if (entry.isDirectory()) {
      const student = checkStudentName(entry.name, full);
      const dir = path.join(workDir, 'copied', student);
      copyRegularFiles(full, dir);
      submission = { student, dir };
    } else if (entry.isFile() && entry.name.toLowerCase().endsWith('.zip')) {
      const student = checkStudentName(entry.name.slice(0, -4), full);
      const dir = path.join(workDir, 'unzipped', student);
      unpackZip(full, dir);
      submission = { student, dir };
    }
    if (!submission) continue;
    if (found.has(submission.student)) throw new Error(`grade: student ${JSON.stringify(submission.student)} has two submissions (a folder and a zip?)`);
    found.set(submission.student, submission);
  }
  return [...found.values()].sort((a, b) => a.student.localeCompare(b.student));
}

/** The student's file for a chapter (`01-no-free-lunch.ts`): in exercises/, at the top, or anywhere below; null if absent. */
export function findExerciseFile(submission: Submission, fileName: string): string | null {
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
