/**
 * Finding a class's submissions: one folder or `.zip` per student, named by the student, holding
 * their `exercises/NN-slug.ts` files (or the files at the top, or anywhere inside, as Gradescope
 * uploads them). Zips are unpacked by nasbook itself into a work folder, refusing any entry whose
 * path would land outside it, and refusing archives too large to be a set of exercise files.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
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
  let bytes = 0;
  const planned: { to: string; entry: AdmZip.IZipEntry }[] = [];
  for (const entry of entries) {
    const name = entry.entryName.replace(/\\/g, '/');
    const to = path.resolve(root, name);
    if (path.isAbsolute(name) || name.split('/').includes('..') || (to !== root && !to.startsWith(root + path.sep))) {
      throw new RangeError(`grade: ${JSON.stringify(zipFile)} holds a path that escapes its folder: ${JSON.stringify(entry.entryName)}`);
    }
    bytes += entry.header.size;
    if (bytes > MAX_ZIP_BYTES) throw new RangeError(`grade: ${JSON.stringify(zipFile)} unpacks to more than ${MAX_ZIP_BYTES / 1024 / 1024} MiB`);
    if (!entry.isDirectory) planned.push({ to, entry });
  }
  for (const { to, entry } of planned) {
    fs.mkdirSync(path.dirname(to), { recursive: true });
    fs.writeFileSync(to, entry.getData());
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
      submission = { student: checkStudentName(entry.name, full), dir: path.resolve(full) };
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
    if (fs.existsSync(candidate) && fs.statSync(candidate).isFile()) return candidate;
  }
  const stack = [submission.dir];
  while (stack.length) {
    const dir = stack.pop()!;
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      if (e.name === 'node_modules' || e.name.startsWith('.')) continue;
      const full = path.join(dir, e.name);
      if (e.isDirectory()) stack.push(full);
      else if (e.isFile() && e.name === fileName) return full;
    }
  }
  return null;
}
