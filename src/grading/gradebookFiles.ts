/**
 * The gradebook on disk: `grades.csv` (one row per student), `gradebook.json` (everything, so
 * shards can be merged and reports rebuilt), and per student `feedback.md` and Gradescope's
 * `results.json`. Hidden cases appear as counts only, never with their inputs.
 *
 * Files are first written into a staging folder beside the output and then moved into place, so
 * a failure half-way leaves no half-written gradebook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe } from '../core/checks';
import type { CaseResult } from './grade';
import type { ChapterGrade, Gradebook, StudentFlags, StudentGrade } from './gradebook';

/** The 0/1 flag columns of grades.csv, in order, with what each means (README: "What grades.csv says"). */
export const FLAG_COLUMNS: [keyof StudentFlags, string, string][] = [
  ['timeout', 'timeout', 'a call ran past its time limit'],
  ['crash', 'crash', 'the process ended during a call (out of memory, an exit, a flood of the result channel)'],
  ['compileError', 'compile_error', 'a file did not type-check (or its check ran out of time, memory or stack, or the file was too large)'],
  ['missing', 'missing', 'a chapter file was not found in the submission'],
  ['tamper', 'tamper', 'the code wrote forged lines on the result channel, or files past the sandbox'],
  ['library', 'library', "a graded call reached the library's own implementation of the exercise"],
];

/** Longest student-controlled text kept in a gradebook file, in characters. */
const MAX_SHOWN = 2000;

/**
 * A CSV field that a spreadsheet shows as text: quoted when it holds a separator, a quote or a line
 * break, and prefixed with ' when it starts like a formula (=, +, -, @, a tab or a carriage return).
 */
export function csvField(value: string | number): string {
  if (typeof value === 'number') return String(value);
  let text = value.length > MAX_SHOWN ? value.slice(0, MAX_SHOWN) : value;
  if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `grades.csv`: student, points per chapter, total, max, one 0/1 column per flag, then the entry's problem (if any). */
export function gradesCsv(g: Gradebook): string {
  const header = ['student', ...g.chapters.map((c) => `${c.chapter}-${c.slug}`), 'total', 'max', ...FLAG_COLUMNS.map(([, name]) => name), 'problem'];
  const rows = g.students.map((s) => [
    s.student, ...g.chapters.map((c) => s.chapters.find((x) => x.chapter === c.chapter)?.score ?? 0), s.total, s.max,
    ...FLAG_COLUMNS.map(([key]) => (s.flags[key] ? 1 : 0)), s.problem?.code ?? '',
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function flagWords(f: StudentFlags): string {
  const words = [
    f.missing && 'file missing', f.compileError && 'does not compile', f.timeout && 'timed out', f.crash && 'crashed',
    f.tamper && 'wrote forged result lines or files', f.library && "used the library's implementation of an exercise",
  ];
  return words.filter(Boolean).join(', ');
}

/**
 * Text the student controls (an error message, a printed line, a file name), as one inert Markdown
 * code span: on one line, cut, inside a backtick fence longer than any run of backticks in it, so
 * no Markdown or HTML in it is rendered.
 */
export function inertInline(text: string, max = 500): string {
  let flat = text.replace(/\r\n|\r|\n/g, ' ⏎ ').replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, '?');
  if (flat.length > max) flat = `${flat.slice(0, max)}...`;
  const longest = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence} ${flat} ${fence}`;
}

/** Text the student controls, as an inert fenced Markdown block (a fence longer than any inside it). */
export function inertBlock(text: string, max = MAX_SHOWN): string {
  const cut = text.length > max ? `${text.slice(0, max)}\n...` : text;
  const longest = Math.max(2, ...(cut.match(/`{3,}|~{3,}/g) ?? []).map((run) => run.length));
  const fence = '`'.repeat(longest + 1);
  return `${fence}text\n${cut.replace(/\r/g, '')}\n${fence}`;
}

function caseLine(r: CaseResult): string {
  const head = `- **${r.name}** (${r.earned}/${r.points}): ${r.status === 'pass' ? 'passed' : inertInline(r.message)}`;
  if (r.status === 'pass' || r.status === 'todo' || r.status === 'compile-error') return head;
  const got = r.status === 'fail' ? `, got ${inertInline(describe(r.actual), 200)}` : '';
  return `${head}\n  - input: ${inertInline(`${r.fn}(${r.args.map((a) => describe(a)).join(', ')})`, 300)}, expected ${inertInline(describe(r.expected), 200)}${got}\n  - hint: ${r.hint}`;
}

/** A case's result as plain text (Gradescope shows test output as text). */
function caseText(r: CaseResult): string {
  const head = `${r.name} (${r.earned}/${r.points}): ${r.status === 'pass' ? 'passed' : r.message.slice(0, 500)}`;
  if (r.status === 'pass' || r.status === 'todo' || r.status === 'compile-error') return head;
  const got = r.status === 'fail' ? `, got ${describe(r.actual)}` : '';
  return `${head}\ninput: ${r.fn}(${r.args.map((a) => describe(a)).join(', ')}), expected ${describe(r.expected)}${got}\nhint: ${r.hint}`;
}

function chapterFeedback(c: ChapterGrade): string {
  const lines = [`## Chapter ${c.chapter} (${c.slug}): ${c.score}/${c.max}`, ''];
  if (c.file === null) return [...lines, `No file \`${c.chapter}-${c.slug}.ts\` was found in the submission.`, ''].join('\n');
  const flags = flagWords(c.flags);
  if (flags) lines.push(`Problems: ${flags}.`, '');
  if (c.compileErrors.length) lines.push('The file does not compile:', '', inertBlock(c.compileErrors.slice(0, 20).map((e) => e.slice(0, 500)).join('\n')), '');
  const failed = c.publicResults.filter((r) => r.status !== 'pass');
  lines.push(`Public cases: ${c.publicResults.length - failed.length} of ${c.publicResults.length} passed.`, '');
  for (const r of failed) lines.push(caseLine(r));
  if (failed.length) lines.push('');
  lines.push(`Hidden cases: ${c.hidden.passed} of ${c.hidden.total} passed (${c.hidden.score}/${c.hidden.max} points)${c.hidden.causes.length ? `; ${c.hidden.causes.join(', ')}` : ''}.`, '');
  if (c.forgedLines > 0) lines.push(`The code wrote ${c.forgedLines} line(s) to the grader's result channel; they were ignored.`, '');
  if (c.writtenFiles > 0) lines.push(`The code left ${c.writtenFiles} file(s) behind past the sandbox; they were deleted unread.`, '');
  if (c.libraryUses.length) lines.push(`Graded code called the library's own ${c.libraryUses.map((n) => inertInline(n, 80)).join(', ')}: those cases score nothing.`, '');
  if (c.output.trim()) lines.push('What your code printed (first part):', '', inertBlock(c.output), '');
  return lines.join('\n');
}

/** `feedback.md` for one student. */
export function feedbackMarkdown(s: StudentGrade): string {
  const problem = s.problem ? [`This submission could not be graded: ${inertInline(s.problem.message)} (${s.problem.code}).`, ''] : [];
  return [`# Feedback for ${/^[\p{L}\p{N}][\p{L}\p{N} .@-]*$/u.test(s.student) ? s.student : inertInline(s.student, 200)}`, '', `Total: **${s.total}/${s.max}**${flagWords(s.flags) ? ` (${flagWords(s.flags)})` : ''}`, '', ...problem, ...s.chapters.map(chapterFeedback)].join('\n');
}

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  visibility: 'hidden' | 'after_due_date' | 'after_published' | 'visible';
  output: string;
  output_format: 'text';
}

export interface GradescopeResults {
  score: number;
  output: string;
  output_format: 'text';
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** Gradescope's `results.json`: one test per public case, one per chapter's hidden cases. */
export function gradescopeResults(s: StudentGrade): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const c of s.chapters) {
    for (const r of c.publicResults) {
      tests.push({ name: `${c.chapter} ${r.name}`, score: r.earned, max_score: r.points, visibility: 'visible', output: r.status === 'pass' ? 'passed' : caseText(r), output_format: 'text' });
    }
    if (c.file === null) {
      const publicMax = c.max - c.hidden.max;
      tests.push({ name: `${c.chapter} public cases`, score: 0, max_score: publicMax, visibility: 'visible', output: `No file ${c.chapter}-${c.slug}.ts was found.`, output_format: 'text' });
    }
    tests.push({
      name: `${c.chapter} hidden cases`, score: c.hidden.score, max_score: c.hidden.max, visibility: 'after_published',
      output: `${c.hidden.passed} of ${c.hidden.total} hidden cases passed${c.hidden.causes.length ? ` (${c.hidden.causes.join(', ')})` : ''}.`,
      output_format: 'text',
    });
  }
  const problem = s.problem ? ` (not graded: ${s.problem.message.slice(0, 500)})` : '';
  return { score: s.total, output: `Total ${s.total}/${s.max}${flagWords(s.flags) ? `: ${flagWords(s.flags)}` : ''}${problem}`, output_format: 'text', visibility: 'visible', stdout_visibility: 'hidden', tests };
}

/** A short summary of a gradebook for the terminal. */
export function gradebookSummary(g: Gradebook): string {
  const n = g.students.length;
  const max = g.chapters.reduce((t, c) => t + c.max, 0);
  const mean = n ? g.students.reduce((t, s) => t + s.total, 0) / n : 0;
  const lines = [`${n} submission${n === 1 ? '' : 's'} graded; mean ${mean.toFixed(1)}/${max}`];
  for (const c of g.chapters) {
    const scores = g.students.map((s) => s.chapters.find((x) => x.chapter === c.chapter)?.score ?? 0);
    const full = scores.filter((x) => x === c.max).length;
    lines.push(`  chapter ${c.chapter} (${c.slug}): mean ${(n ? scores.reduce((a, b) => a + b, 0) / n : 0).toFixed(1)}/${c.max}, ${full} full marks`);
  }
  for (const [key, name] of FLAG_COLUMNS) {
    const who = g.students.filter((s) => s.flags[key]).map((s) => s.student);
    if (who.length) lines.push(`  ${name}: ${who.length} (${who.slice(0, 8).join(', ')}${who.length > 8 ? ', ...' : ''})`);
  }
  const flagged = g.students.filter((s) => s.problem);
  if (flagged.length) lines.push(`  not graded: ${flagged.length} (${flagged.slice(0, 8).map((s) => `${s.student}: ${s.problem!.code}`).join(', ')}${flagged.length > 8 ? ', ...' : ''})`);
  return lines.join('\n');
}

/**
 * The folder (under `students/`) each student's feedback.md and results.json go in: the student's
 * name where it is a plain name, else a cleaned one; never the same for two students.
 */
export function studentFolders(g: Gradebook): Map<string, string> {
  const folders = new Map<string, string>();
  const used = new Set<string>();
  for (const s of g.students) {
    let base = s.student.replace(/[^\p{L}\p{N} ._@+-]/gu, '_').slice(0, 100);
    if (!/^[\p{L}\p{N}]/u.test(base)) base = `x${base}`;
    let name = base;
    for (let k = 2; used.has(name.toLowerCase()); k++) name = `${base}-${k}`;
    used.add(name.toLowerCase());
    folders.set(s.student, name);
  }
  return folders;
}

/**
 * Write the gradebook into `outDir` (created if needed; files of an earlier run are replaced).
 * @returns the files written
 */
export function writeGradebook(g: Gradebook, outDir: string): string[] {
  const out = path.resolve(outDir);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const stage = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.partial-`));
  const folders = studentFolders(g);
  try {
    const files: [string, string][] = [
      ['grades.csv', gradesCsv(g)],
      ['gradebook.json', `${JSON.stringify(g, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2)}\n`],
      // Under students/, so no student's name can be one of the gradebook's own files.
      ...g.students.flatMap((s): [string, string][] => [
        [path.join('students', folders.get(s.student)!, 'feedback.md'), feedbackMarkdown(s)],
        [path.join('students', folders.get(s.student)!, 'results.json'), `${JSON.stringify(gradescopeResults(s), null, 2)}\n`],
      ]),
    ];
    for (const [rel, text] of files) {
      fs.mkdirSync(path.join(stage, path.dirname(rel)), { recursive: true });
      fs.writeFileSync(path.join(stage, rel), text);
    }
    for (const [rel] of files) {
      fs.mkdirSync(path.join(out, path.dirname(rel)), { recursive: true });
      fs.renameSync(path.join(stage, rel), path.join(out, rel));
    }
    return files.map(([rel]) => path.join(out, rel));
  } finally {
    fs.rmSync(stage, { recursive: true, force: true });
  }
}

/** Read a gradebook written by `writeGradebook`. */
export function readGradebook(dir: string): Gradebook {
  const file = path.join(dir, 'gradebook.json');
  if (!fs.existsSync(file)) throw new Error(`gradebook merge: ${JSON.stringify(dir)} holds no gradebook.json (is it a 'nasbook grade --out' folder?)`);
  return JSON.parse(fs.readFileSync(file, 'utf8')) as Gradebook;
}

/**
 * Join the gradebooks of shards graded apart (`--shard i/n`) into one.
 * @throws Error if they were graded with different seeds or chapters, or a student appears twice
 */
export function mergeGradebooks(parts: Gradebook[]): Gradebook {
  if (parts.length === 0) throw new RangeError("gradebook merge: 'dirs' must name at least one gradebook folder");
  const [first] = parts;
  const chapterKey = (g: Gradebook) => JSON.stringify(g.chapters);
  for (const g of parts) {
    if (g.seedFingerprint !== first.seedFingerprint) throw new Error('gradebook merge: the gradebooks were graded with different seeds');
    if (chapterKey(g) !== chapterKey(first)) throw new Error('gradebook merge: the gradebooks cover different chapters or cases');
  }
  const seen = new Set<string>();
  for (const s of parts.flatMap((g) => g.students)) {
    if (seen.has(s.student)) throw new Error(`gradebook merge: student ${JSON.stringify(s.student)} appears in more than one gradebook`);
    seen.add(s.student);
  }
  const students = parts.flatMap((g) => g.students).sort((a, b) => a.student.localeCompare(b.student));
  return { seedFingerprint: first.seedFingerprint, chapters: first.chapters, students };
}
