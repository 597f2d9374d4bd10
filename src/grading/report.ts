/**
 * A check's results as text (terminal) and as HTML (notebook). Both list every case; a case that
 * did not pass shows its input, what was expected, what came back and the hint.
 */
import * as path from 'node:path';
import { describe } from '../core/checks';
import { escapeHtml } from '../viz/table';
import type { CaseResult, CaseStatus, FileReport } from './grade';

export interface ChapterReport extends FileReport {
  chapter: string;
  slug: string;
}

const LABEL: Record<CaseStatus, string> = {
  pass: 'pass',
  fail: 'wrong answer',
  todo: 'not done yet',
  error: 'threw an error',
  timeout: 'timed out',
  crash: 'crashed',
  'compile-error': 'does not compile',
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

/** The report as plain text for a terminal. */
export function reportText(report: ChapterReport): string {
  const lines = [`Chapter ${report.chapter} (${report.slug}): ${relative(report.file)}`];
  for (const e of report.compileErrors) lines.push(`  compile error: ${e}`);
  for (const r of report.results) {
    lines.push(`  ${r.status === 'pass' ? 'PASS' : 'FAIL'}  ${r.name}  [${r.earned}/${r.points}]${r.status === 'pass' ? '' : `  ${LABEL[r.status]}: ${r.message}`}`);
    if (r.status !== 'pass' && r.status !== 'todo' && r.status !== 'compile-error') {
      lines.push(`        input    ${r.fn}(${r.args.map(shown).join(', ')})`);
      lines.push(`        expected ${shown(r.expected)}`);
      if (r.status === 'fail') lines.push(`        got      ${shown(r.actual)}`);
      lines.push(`        hint     ${r.hint}`);
    }
  }
  lines.push(summaryLine(report));
  return lines.join('\n');
}

function rowHtml(r: CaseResult): string {
  const ok = r.status === 'pass';
  const detail = ok
    ? ''
    : [
        `<div><b>${escapeHtml(LABEL[r.status])}</b>: ${escapeHtml(r.message)}</div>`,
        r.status === 'todo' || r.status === 'compile-error'
          ? ''
          : `<div><code>${escapeHtml(`${r.fn}(${r.args.map(shown).join(', ')})`)}</code></div>` +
            `<div>expected <code>${escapeHtml(shown(r.expected))}</code>${r.status === 'fail' ? `, got <code>${escapeHtml(shown(r.actual))}</code>` : ''}</div>`,
        `<div style="color:#555"><i>${escapeHtml(r.hint)}</i></div>`,
      ].join('');
  const mark = ok ? '<span style="color:#1a7f37">&#10004;</span>' : '<span style="color:#cf222e">&#10008;</span>';
  return `<tr><td style="text-align:center">${mark}</td><td style="text-align:left"><code>${escapeHtml(r.name)}</code>${detail}</td><td>${r.earned}/${r.points}</td></tr>`;
}

/** The report as an HTML table for a notebook. */
export function reportHtml(report: ChapterReport): string {
  const errors = report.compileErrors.length
    ? `<pre style="color:#cf222e">${escapeHtml(report.compileErrors.join('\n'))}</pre>`
    : '';
  return [
    `<div class="nasbook-check"><p><b>Chapter ${escapeHtml(report.chapter)} exercise</b> (<code>${escapeHtml(relative(report.file))}</code>): ${escapeHtml(summaryLine(report))}</p>`,
    errors,
    '<table><thead><tr><th></th><th style="text-align:left">case</th><th>points</th></tr></thead><tbody>',
    ...report.results.map(rowHtml),
    '</tbody></table></div>',
  ].join('');
}
