/**
 * A check's results as text (terminal) and as HTML (notebook), written to teach:
 * - a file that does not compile shows its errors once, each at its line and column with the line
 *   itself, and every case as "not run" (nothing ran, so nothing else is worth reading);
 * - a case that threw shows the line of the student's file it threw at;
 * - a stub not written yet says so, without a hint (there is nothing to correct yet);
 * - a failing case shows its input, what was expected, what came back, and a hint that nudges; the
 *   fuller hint only when asked for (`hints: 'full'`), and never the code.
 * Rows can be rendered one at a time, as cases finish (progress).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe } from '../core/checks';
import { escapeHtml } from '../viz/table';
import type { CaseResult, CaseStatus, FileReport } from './grade';

export interface ChapterReport extends FileReport {
  chapter: string;
  slug: string;
}

/** How much hinting a report shows: the nudge (default), or the nudge and the fuller hint. */
export type HintLevel = 'nudge' | 'full';

export interface ReportOptions {
  /** 'nudge' (default) or 'full'. */
  hints?: HintLevel;
}

const LABEL: Record<CaseStatus, string> = {
  pass: 'pass',
  fail: 'wrong answer',
  todo: 'not done yet',
  error: 'threw an error',
  timeout: 'timed out',
  crash: 'crashed',
  'compile-error': 'not run',
};

/** The short mark at the start of a text row. */
const MARK: Record<CaseStatus, string> = {
  pass: 'PASS', fail: 'FAIL', todo: 'FAIL', error: 'FAIL', timeout: 'FAIL', crash: 'FAIL', 'compile-error': '----',
};

function shown(value: unknown): string {
  return describe(value);
}

function relative(file: string): string {
  const rel = path.relative(process.cwd(), file);
  return rel.startsWith('..') ? file : rel;
}

/** `3 of 6 cases pass, 5/12 points`. */
export function summaryLine(report: FileReport): string {
  const passed = report.results.filter((r) => r.status === 'pass').length;
  return `${passed} of ${report.results.length} cases pass, ${report.score}/${report.maxScore} points`;
}

/** A compile error split into where and what: `name.ts(12,5): message`. */
export interface CompileErrorAt {
  line: number;
  column: number;
  message: string;
  /** The text of that line of the file, when it can be read. */
  source?: string;
}

/**
 * Where each compile error is in `file`, with that line's text (for the caret display).
 * @param file the compiled file
 * @param errors lines as `compileExercise` writes them: `name.ts(12,5): message`
 * @example compileErrorsAt('ex.ts', ["ex.ts(2,3): Type 'string' is not assignable to type 'number'."])
 */
export function compileErrorsAt(file: string, errors: readonly string[]): CompileErrorAt[] {
  let lines: string[] = [];
  try {
    lines = fs.readFileSync(file, 'utf8').split(/\r?\n/);
  } catch {
    // the file is gone: positions without the text
  }
  return errors.map((e) => {
    const m = /^[^(]*\((\d+),(\d+)\): ([\s\S]*)$/.exec(e);
    if (!m) return { line: 0, column: 0, message: e };
    const line = Number(m[1]);
    return { line, column: Number(m[2]), message: m[3], ...(lines[line - 1] !== undefined ? { source: lines[line - 1] } : {}) };
  });
}

/** The compile errors, once: `file:line:col  message`, the line, a caret under the column. */
function compileErrorText(report: FileReport): string[] {
  if (!report.compileErrors.length) return [];
  const out = [`  ${relative(report.file)} does not compile, so no case ran. Fix ${report.compileErrors.length === 1 ? 'this' : 'these'} first:`];
  for (const e of compileErrorsAt(report.file, report.compileErrors)) {
    out.push(e.line ? `    ${relative(report.file)}:${e.line}:${e.column}  ${e.message}` : `    ${e.message}`);
    if (e.source !== undefined) {
      const gutter = `${e.line} | `;
      out.push(`      ${gutter}${e.source}`, `      ${' '.repeat(gutter.length - 2)}| ${' '.repeat(Math.max(0, e.column - 1))}^`);
    }
  }
  return out;
}

/** The lines of one case, as a terminal shows them. */
export function caseText(r: CaseResult, options: ReportOptions = {}): string[] {
  const head = `  ${MARK[r.status]}  ${r.name}  [${r.earned}/${r.points}]`;
  if (r.status === 'pass') return [head];
  if (r.status === 'compile-error') return [`${head}  not run`];
  if (r.status === 'todo') return [`${head}  ${LABEL.todo}: ${r.message}`];
  const lines = [`${head}  ${LABEL[r.status]}: ${r.message}`];
  if (r.where) lines.push(`        at       ${relative(r.where)}${r.line ? `   ${r.line}` : ''}`);
  lines.push(`        input    ${r.fn}(${r.args.map(shown).join(', ')})`);
  lines.push(`        expected ${shown(r.expected)}`);
  if (r.status === 'fail') lines.push(`        got      ${shown(r.actual)}`);
  lines.push(`        hint     ${r.hint}`);
  if (options.hints === 'full' && r.fullHint) lines.push(`        more     ${r.fullHint}`);
  return lines;
}

/** The first line of a report: which chapter and file. */
export function headerText(report: Pick<ChapterReport, 'chapter' | 'slug' | 'file'>): string {
  return `Chapter ${report.chapter} (${report.slug}): ${relative(report.file)}`;
}

/** What closes a report: the summary, and how to get the fuller hints when some case failed. */
function footerText(report: ChapterReport, options: ReportOptions): string[] {
  const lines = [summaryLine(report)];
  const failed = report.results.some((r) => r.status !== 'pass' && r.status !== 'todo' && r.status !== 'compile-error' && r.fullHint);
  if (failed && options.hints !== 'full') lines.push(`More help: check("${report.chapter}", { hints: "full" }) in the notebook, or nasbook check ${report.chapter} --hints full`);
  return lines;
}

/** The report as plain text for a terminal. */
export function reportText(report: ChapterReport, options: ReportOptions = {}): string {
  return [
    headerText(report),
    ...compileErrorText(report),
    ...report.results.flatMap((r) => caseText(r, options)),
    ...footerText(report, options),
  ].join('\n');
}

function rowHtml(r: CaseResult | undefined, name: string, options: ReportOptions): string {
  if (!r) {
    return `<tr><td style="text-align:center;color:#888">&#8230;</td><td style="text-align:left"><code>${escapeHtml(name)}</code> <span style="color:#888">running</span></td><td></td></tr>`;
  }
  const ok = r.status === 'pass';
  const parts: string[] = [];
  if (!ok) parts.push(`<div><b>${escapeHtml(LABEL[r.status])}</b>${r.status === 'compile-error' ? '' : `: ${escapeHtml(r.message)}`}</div>`);
  if (!ok && r.status !== 'todo' && r.status !== 'compile-error') {
    if (r.where) parts.push(`<div>at <code>${escapeHtml(relative(r.where))}</code>${r.line ? `: <code>${escapeHtml(r.line)}</code>` : ''}</div>`);
    parts.push(`<div><code>${escapeHtml(`${r.fn}(${r.args.map(shown).join(', ')})`)}</code></div>`);
    parts.push(`<div>expected <code>${escapeHtml(shown(r.expected))}</code>${r.status === 'fail' ? `, got <code>${escapeHtml(shown(r.actual))}</code>` : ''}</div>`);
    parts.push(`<div style="color:#555"><i>hint: ${escapeHtml(r.hint)}</i></div>`);
    if (options.hints === 'full' && r.fullHint) parts.push(`<div style="color:#555"><i>more: ${escapeHtml(r.fullHint)}</i></div>`);
  }
  const mark = ok
    ? '<span style="color:#1a7f37">&#10004;</span>'
    : r.status === 'compile-error' ? '<span style="color:#888">&#8212;</span>' : '<span style="color:#cf222e">&#10008;</span>';
  return `<tr><td style="text-align:center">${mark}</td><td style="text-align:left"><code>${escapeHtml(r.name)}</code>${parts.join('')}</td><td>${r.earned}/${r.points}</td></tr>`;
}

function compileErrorHtml(report: FileReport): string {
  if (!report.compileErrors.length) return '';
  const items = compileErrorsAt(report.file, report.compileErrors).map((e) => {
    const where = e.line ? `<b>${escapeHtml(`${relative(report.file)}:${e.line}:${e.column}`)}</b> ` : '';
    const source = e.source !== undefined ? `\n  ${escapeHtml(`${e.line} | ${e.source}`)}\n  ${' '.repeat(String(e.line).length + 3 + Math.max(0, e.column - 1))}^` : '';
    return `${where}${escapeHtml(e.message)}${source}`;
  });
  return `<p style="color:#cf222e"><b>The file does not compile, so no case ran.</b> Fix ${items.length === 1 ? 'this' : 'these'} first:</p><pre style="color:#cf222e">${items.join('\n')}</pre>`;
}

/**
 * The report as an HTML table for a notebook. With `pending` (the cases' names), rows not in
 * `report.results` yet are shown as running: the same table fills in as cases finish.
 */
export function reportHtml(report: ChapterReport, options: ReportOptions & { pending?: readonly string[] } = {}): string {
  const done = new Map(report.results.map((r) => [r.name, r]));
  const names = options.pending ?? report.results.map((r) => r.name);
  const running = options.pending !== undefined && done.size < names.length;
  const summary = running ? `${done.size} of ${names.length} cases checked…` : footerText(report, options).join(' · ');
  return [
    `<div class="nasbook-check"><p><b>Chapter ${escapeHtml(report.chapter)} exercise</b> (<code>${escapeHtml(relative(report.file))}</code>): ${escapeHtml(summary)}</p>`,
    compileErrorHtml(report),
    '<table><thead><tr><th></th><th style="text-align:left">case</th><th>points</th></tr></thead><tbody>',
    ...names.map((name) => rowHtml(done.get(name), name, options)),
    '</tbody></table></div>',
  ].join('');
}
