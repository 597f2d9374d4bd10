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

const FLAG_COLUMNS: [keyof StudentFlags, string][] = [
  ['timeout', 'timeout'], ['crash', 'crash'], ['compileError', 'compile_error'], ['missing', 'missing'], ['tamper', 'tamper'],
];

function csvField(value: string | number): string {
  const text = String(value);
  return /[",\n\r]/.test(text) || /^[=+\-@]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** `grades.csv`: student, points per chapter, total, max, then one 0/1 column per flag. */
export function gradesCsv(g: Gradebook): string {
  const header = ['student', ...g.chapters.map((c) => `${c.chapter}-${c.slug}`), 'total', 'max', ...FLAG_COLUMNS.map(([, name]) => name)];
  const rows = g.students.map((s) => [
    s.student, ...g.chapters.map((c) => s.chapters.find((x) => x.chapter === c.chapter)?.score ?? 0), s.total, s.max,
    ...FLAG_COLUMNS.map(([key]) => (s.flags[key] ? 1 : 0)),
  ]);
  return [header, ...rows].map((r) => r.map(csvField).join(',')).join('\n') + '\n';
}

function flagWords(f: StudentFlags): string {
  const words = [f.missing && 'file missing', f.compileError && 'does not compile', f.timeout && 'timed out', f.crash && 'crashed', f.tamper && 'wrote forged result lines'];
  return words.filter(Boolean).join(', ');
}

function caseLine(r: CaseResult): string {
  const head = `- **${r.name}** (${r.earned}/${r.points}): ${r.status === 'pass' ? 'passed' : r.message}`;
  if (r.status === 'pass' || r.status === 'todo' || r.status === 'compile-error') return head;
  const got = r.status === 'fail' ? `, got \`${describe(r.actual)}\`` : '';
  return `${head}\n  - input: \`${r.fn}(${r.args.map((a) => describe(a)).join(', ')})\`, expected \`${describe(r.expected)}\`${got}\n  - hint: ${r.hint}`;
}

function chapterFeedback(c: ChapterGrade): string {
  const lines = [`## Chapter ${c.chapter} (${c.slug}): ${c.score}/${c.max}`, ''];
  if (c.file === null) return [...lines, `No file \`${c.chapter}-${c.slug}.ts\` was found in the submission.`, ''].join('\n');
  const flags = flagWords(c.flags);
  if (flags) lines.push(`Problems: ${flags}.`, '');
  if (c.compileErrors.length) lines.push('The file does not compile:', '', '```', ...c.compileErrors, '```', '');
  const failed = c.publicResults.filter((r) => r.status !== 'pass');
  lines.push(`Public cases: ${c.publicResults.length - failed.length} of ${c.publicResults.length} passed.`, '');
  for (const r of failed) lines.push(caseLine(r));
  if (failed.length) lines.push('');
  lines.push(`Hidden cases: ${c.hidden.passed} of ${c.hidden.total} passed (${c.hidden.score}/${c.hidden.max} points)${c.hidden.causes.length ? `; ${c.hidden.causes.join(', ')}` : ''}.`, '');
  if (c.forgedLines > 0) lines.push(`The code wrote ${c.forgedLines} line(s) to the grader's result channel; they were ignored.`, '');
  if (c.output.trim()) lines.push('What your code printed (first part):', '', '```', c.output.slice(0, 2000).replace(/```/g, "'''"), '```', '');
  return lines.join('\n');
}

/** `feedback.md` for one student. */
export function feedbackMarkdown(s: StudentGrade): string {
  return [`# Feedback for ${s.student}`, '', `Total: **${s.total}/${s.max}**${flagWords(s.flags) ? ` (${flagWords(s.flags)})` : ''}`, '', ...s.chapters.map(chapterFeedback)].join('\n');
}

export interface GradescopeTest {
  name: string;
  score: number;
  max_score: number;
  visibility: 'hidden' | 'after_due_date' | 'after_published' | 'visible';
  output: string;
}

export interface GradescopeResults {
  score: number;
  output: string;
  visibility: 'visible';
  stdout_visibility: 'hidden';
  tests: GradescopeTest[];
}

/** Gradescope's `results.json`: one test per public case, one per chapter's hidden cases. */
export function gradescopeResults(s: StudentGrade): GradescopeResults {
  const tests: GradescopeTest[] = [];
  for (const c of s.chapters) {
    for (const r of c.publicResults) {
      tests.push({ name: `${c.chapter} ${r.name}`, score: r.earned, max_score: r.points, visibility: 'visible', output: r.status === 'pass' ? 'passed' : caseLine(r).replace(/^- /, '') });
    }
    if (c.file === null) {
      const publicMax = c.max - c.hidden.max;
      tests.push({ name: `${c.chapter} public cases`, score: 0, max_score: publicMax, visibility: 'visible', output: `No file ${c.chapter}-${c.slug}.ts was found.` });
    }
    tests.push({
      name: `${c.chapter} hidden cases`, score: c.hidden.score, max_score: c.hidden.max, visibility: 'after_published',
      output: `${c.hidden.passed} of ${c.hidden.total} hidden cases passed${c.hidden.causes.length ? ` (${c.hidden.causes.join(', ')})` : ''}.`,
    });
  }
  return { score: s.total, output: `Total ${s.total}/${s.max}${flagWords(s.flags) ? `: ${flagWords(s.flags)}` : ''}`, visibility: 'visible', stdout_visibility: 'hidden', tests };
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
  return lines.join('\n');
}

/**
 * Write the gradebook into `outDir` (created if needed; files of an earlier run are replaced).
 * @returns the files written
 */
export function writeGradebook(g: Gradebook, outDir: string): string[] {
  const out = path.resolve(outDir);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const stage = fs.mkdtempSync(path.join(path.dirname(out), `.${path.basename(out)}.partial-`));
  try {
    const files: [string, string][] = [
      ['grades.csv', gradesCsv(g)],
      ['gradebook.json', `${JSON.stringify(g, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v), 2)}\n`],
      ...g.students.flatMap((s): [string, string][] => [
        [path.join(s.student, 'feedback.md'), feedbackMarkdown(s)],
        [path.join(s.student, 'results.json'), `${JSON.stringify(gradescopeResults(s), null, 2)}\n`],
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
