/**
 * The library rule: the student edition ships the library, and the library implements several of
 * the ideas the exercises ask for. By default a graded function may not reach the library's
 * implementation of the function it is graded as (the library export of the same name), by any
 * import path; a chapter widens or narrows that with its `library` policy (types.ts). The child
 * process wraps the protected functions before the student's code loads (child.ts) and reports a
 * call that reached one instead of scoring it; the grader and `check` use the same rule.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { packageRoot } from '../core/paths';
import type { ChapterCases } from './types';

/** A library function a graded call may not reach, and the built file that defines it. */
export interface ProtectedExport {
  /** The name the library exports it under. */
  name: string;
  /** The built file whose `exports[name]` is the function itself. */
  file: string;
}

let names: Record<string, string> | null = null;

/** The built library's entry file. */
export function libraryEntry(): string {
  return path.join(packageRoot(), 'dist', 'index.js');
}

/**
 * Every name `nasbook` exports, with the built folder entry (`dist/<folder>/index.js`) it comes
 * from, as `export *` resolves them (the first folder wins). The child loads a folder only when
 * the student's code reads one of its names, so a chapter pays for the parts of the library it uses.
 * @throws Error if the library is not built
 */
export function libraryNames(): Record<string, string> {
  if (names) return names;
  const entry = libraryEntry();
  if (!fs.existsSync(entry)) throw new Error(`nasbook: ${entry} is missing; run 'npm run build' first`);
  const found: Record<string, string> = {};
  for (const m of fs.readFileSync(entry, 'utf8').matchAll(/__exportStar\(require\("(\.\/[^"]+)"\)/g)) {
    const file = require.resolve(path.join(path.dirname(entry), m[1]));
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const exports = require(file) as Record<string, unknown>;
    for (const name of Object.keys(exports)) if (name !== 'default' && name !== '__esModule' && !(name in found)) found[name] = file;
  }
  // Names the entry exports one by one (not a folder's `export *`) come from the entry itself.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  for (const name of Object.keys(require(entry) as Record<string, unknown>)) if (name !== 'default' && name !== '__esModule' && !(name in found)) found[name] = entry;
  return (names = found);
}

/** The built module that defines `name` (where it is a data property, not a re-export's getter). */
function definingFile(name: string): string | null {
  const entryFile = libraryNames()[name];
  if (!entryFile) return null;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const value = (require(entryFile) as Record<string, unknown>)[name];
  if (typeof value !== 'function') return null;
  const dist = path.join(packageRoot(), 'dist') + path.sep;
  for (const [file, mod] of Object.entries(require.cache)) {
    if (!file.startsWith(dist) || !mod) continue;
    const d = Object.getOwnPropertyDescriptor(mod.exports, name);
    if (d && 'value' in d && d.value === value) return file;
  }
  return null;
}

/**
 * The library functions `chapter`'s graded code may not reach: each function the chapter asks
 * for that the library also exports, minus the chapter's `library.allow`, plus its `library.forbid`.
 * @example libraryRule(chapterCases('04')) // [{ name: 'expectedImprovement', file: '.../acquisition.js' }, ...]
 */
export function libraryRule(chapter: ChapterCases): ProtectedExport[] {
  const policy = chapter.library ?? {};
  const wanted = new Set([...chapter.functions, ...(policy.forbid ?? [])]);
  for (const name of policy.allow ?? []) wanted.delete(name);
  const rule: ProtectedExport[] = [];
  for (const name of wanted) {
    const file = definingFile(name);
    if (file) rule.push({ name, file });
  }
  return rule;
}

/** What a student is told when a graded call reached a protected library function. */
export function libraryMessage(used: readonly string[]): string {
  const list = used.map((n) => `'${n}'`).join(', ');
  return `this answer came from nasbook's own ${list}: the exercise asks you to write ${used.length === 1 ? 'it' : 'them'} yourself, so graded code may not call the library's implementation`;
}
