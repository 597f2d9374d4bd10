/**
 * Tables as HTML (for notebooks) and as aligned text (for terminals), from an array of row
 * objects or anything shaped like a danfojs DataFrame. DataFrames are recognised by their shape
 * (`columns` + `values`), so this module never loads danfojs (which pulls in tfjs).
 */
import { checkInt, describe } from '../core/checks';

/** Options of `showTable`, `tableHtml` and `tableText`. */
export interface TableOptions {
  /** A line above the table. */
  caption?: string;
  /** Decimal places for non-integer numbers (default 4). */
  digits?: number;
}

/** The part of a danfojs DataFrame (or Series) that a table needs. */
export interface DataFrameLike {
  columns: string[];
  values: unknown[];
  index?: unknown[];
}

/** A table reduced to plain cells: column names and rows of values. */
export interface TableData {
  columns: string[];
  rows: unknown[][];
}

const DEFAULT_DIGITS = 4;

/**
 * Whether a value looks like a danfojs DataFrame or Series: `columns` is an array of strings and
 * `values` is an array (of rows for a DataFrame, of cells for a one-column Series).
 * @param value anything
 * @returns true for DataFrame-shaped values
 * @example isDataFrameLike({ columns: ['a'], values: [[1], [2]] }) // true
 */
export function isDataFrameLike(value: unknown): value is DataFrameLike {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const v = value as Partial<DataFrameLike>;
  return Array.isArray(v.columns) && v.columns.every((c) => typeof c === 'string') && Array.isArray(v.values);
}

/** A DataFrame's index is worth showing only when it is not the default 0, 1, 2, ... */
function isDefaultIndex(index: unknown[] | undefined, n: number): boolean {
  return index === undefined || (index.length === n && index.every((v, i) => v === i));
}

function dataFrameTable(df: DataFrameLike, caller: string): TableData {
  const columns = [...df.columns];
  // A Series has one column and a flat list of values; a DataFrame has one array per row.
  const isSeries = columns.length === 1 && df.values.every((v) => !Array.isArray(v));
  const rows = df.values.map((v, i) => {
    const row = isSeries ? [v] : v;
    if (!Array.isArray(row) || row.length !== columns.length) {
      throw new TypeError(`${caller}: 'rows' looks like a DataFrame but row ${i} is ${describe(row)}, expected ${columns.length} values`);
    }
    return [...row];
  });
  const index = Array.isArray(df.index) ? df.index : undefined;
  if (!isDefaultIndex(index, rows.length) && index && index.length === rows.length) {
    return { columns: ['', ...columns], rows: rows.map((r, i) => [index[i], ...r]) };
  }
  return { columns, rows };
}

/**
 * Reduces rows or a DataFrame to column names and cell rows. Columns of row objects are the
 * keys in order of first appearance; a row that lacks a key gets an empty cell.
 * @param rows an array of plain objects, or a DataFrame/Series (duck-typed)
 * @param caller the public function to name in errors
 * @returns the columns and the rows of cells
 * @throws TypeError if `rows` is neither
 * @example toTableData([{ a: 1 }, { b: 2 }]) // { columns: ['a', 'b'], rows: [[1, undefined], [undefined, 2]] }
 */
export function toTableData(rows: unknown, caller = 'toTableData'): TableData {
  if (isDataFrameLike(rows)) return dataFrameTable(rows, caller);
  if (!Array.isArray(rows)) {
    throw new TypeError(`${caller}: 'rows' must be an array of objects or a DataFrame (columns + values), got ${describe(rows)}`);
  }
  const columns: string[] = [];
  const seen = new Set<string>();
  rows.forEach((row, i) => {
    if (row === null || typeof row !== 'object' || Array.isArray(row)) {
      throw new TypeError(`${caller}: 'rows[${i}]' must be an object, got ${describe(row)}`);
    }
    for (const key of Object.keys(row)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  });
  return { columns, rows: rows.map((row: Record<string, unknown>) => columns.map((c) => row[c])) };
}

/**
 * One cell as text: integers as they are, other numbers with `digits` decimals (exponent form
 * when fixed decimals would hide the value, and for magnitudes from 1e15), empty for null/undefined.
 * @param value the cell
 * @param digits decimal places for non-integers
 * @param decimalIntegers write integers with `digits` decimals too (for a column that also holds
 *   non-integers, so that its numbers line up)
 * @returns the text of the cell (not escaped)
 * @example formatCell(Math.PI, 3) // '3.142'
 */
export function formatCell(value: unknown, digits: number = DEFAULT_DIGITS, decimalIntegers = false): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return String(value);
    const abs = Math.abs(value);
    // Fixed decimals would print 1e-7 as 0.0000 (hiding it) or 1e20 as 21 digits: use exponents.
    if (abs >= 1e15) return value.toExponential(Math.max(digits - 1, 0));
    if (Number.isInteger(value) && !decimalIntegers) return Object.is(value, -0) ? '0' : String(value);
    if (abs !== 0 && abs < 0.5 * 10 ** -digits) return value.toExponential(Math.max(digits - 1, 0));
    return (Object.is(value, -0) ? 0 : value).toFixed(digits);
  }
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'Invalid Date' : value.toISOString();
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Per column: all cells numbers (or empty), and whether some number is not an integer. */
function columnKinds(table: TableData): { numeric: boolean; fractional: boolean }[] {
  return table.columns.map((_, j) => {
    const cells = table.rows.map((r) => r[j]);
    return {
      numeric: table.rows.length > 0 && cells.every((c) => c == null || typeof c === 'number'),
      fractional: cells.some((c) => typeof c === 'number' && Number.isFinite(c) && !Number.isInteger(c)),
    };
  });
}

/**
 * Escapes text for HTML element content and attribute values.
 * @param text any text
 * @returns the text with & < > " ' replaced by entities
 * @example escapeHtml('<b>') // '&lt;b&gt;'
 */
export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function checkTableOptions(opts: unknown, caller: string): { caption?: string; digits: number } {
  if (opts === undefined) return { digits: DEFAULT_DIGITS };
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) {
    throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  }
  const o = opts as Record<string, unknown>;
  if (o.caption !== undefined && typeof o.caption !== 'string') {
    throw new TypeError(`${caller}: 'opts.caption' must be a string, got ${describe(o.caption)}`);
  }
  const digits = o.digits === undefined ? DEFAULT_DIGITS : checkInt('opts.digits', o.digits, { min: 0, max: 15 }, caller);
  return { caption: o.caption as string | undefined, digits };
}

const TABLE_STYLE =
  "border-collapse:collapse;font-family:'Helvetica Neue',Helvetica,Arial,sans-serif;font-size:13px;margin:4px 0;";
const CELL_STYLE = 'padding:4px 10px;border-bottom:1px solid #E5ECF6;';
const HEAD_STYLE = 'padding:4px 10px;border-bottom:2px solid #B0B8C4;font-weight:600;';

/**
 * An HTML table: escaped text, numbers right-aligned with `digits` decimals, optional caption.
 * @param rows an array of plain objects, or a DataFrame/Series (duck-typed)
 * @param opts `caption`, `digits` (0..15, default 4)
 * @returns a `<table>` element as a string
 * @throws TypeError/RangeError naming the argument for bad rows or options
 * @example tableHtml([{ op: 'conv', acc: 0.91234 }], { digits: 2 }) // '<table ...>...<td ...>0.91</td>...'
 */
export function tableHtml(rows: Record<string, unknown>[] | DataFrameLike, opts?: TableOptions, caller = 'tableHtml'): string {
  const o = checkTableOptions(opts, caller);
  const table = toTableData(rows, caller);
  const kinds = columnKinds(table);
  const align = (j: number) => `text-align:${kinds[j].numeric ? 'right' : 'left'};`;
  const parts: string[] = [`<table class="nasbook-table" style="${TABLE_STYLE}">`];
  if (o.caption !== undefined) {
    parts.push(`<caption style="caption-side:top;text-align:left;font-weight:600;padding:2px 0 6px 0;">${escapeHtml(o.caption)}</caption>`);
  }
  parts.push('<thead><tr>');
  table.columns.forEach((c, j) => parts.push(`<th style="${HEAD_STYLE}${align(j)}">${escapeHtml(c)}</th>`));
  parts.push('</tr></thead><tbody>');
  if (table.rows.length === 0) {
    parts.push(`<tr><td style="${CELL_STYLE}color:#8C8C8C;" colspan="${Math.max(table.columns.length, 1)}">(no rows)</td></tr>`);
  }
  for (const row of table.rows) {
    parts.push('<tr>');
    row.forEach((cell, j) => {
      const num = typeof cell === 'number' ? 'font-variant-numeric:tabular-nums;' : '';
      parts.push(`<td style="${CELL_STYLE}${align(j)}${num}">${escapeHtml(formatCell(cell, o.digits, kinds[j].fractional))}</td>`);
    });
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  return parts.join('');
}

/**
 * The same table as aligned plain text (numbers right-aligned), for output outside a notebook.
 * @param rows an array of plain objects, or a DataFrame/Series (duck-typed)
 * @param opts `caption`, `digits` (0..15, default 4)
 * @returns lines joined by '\n'
 * @throws TypeError/RangeError naming the argument for bad rows or options
 * @example tableText([{ a: 1, b: 'x' }]) // 'a  b\n-  -\n1  x'
 */
export function tableText(rows: Record<string, unknown>[] | DataFrameLike, opts?: TableOptions, caller = 'tableText'): string {
  const o = checkTableOptions(opts, caller);
  const table = toTableData(rows, caller);
  const kinds = columnKinds(table);
  const cells = table.rows.map((r) => r.map((c, j) => formatCell(c, o.digits, kinds[j].fractional).replace(/\s+/g, ' ')));
  const widths = table.columns.map((c, j) => cells.reduce((w, r) => Math.max(w, r[j].length), c.length));
  const pad = (text: string, j: number) => (kinds[j].numeric ? text.padStart(widths[j]) : text.padEnd(widths[j]));
  const line = (texts: string[]) => texts.map(pad).join('  ').trimEnd();
  const lines: string[] = [];
  if (o.caption !== undefined) lines.push(o.caption);
  if (table.columns.length > 0) lines.push(line(table.columns), line(widths.map((w) => '-'.repeat(w))));
  if (table.rows.length === 0) lines.push('(no rows)');
  for (const r of cells) lines.push(line(r));
  return lines.join('\n');
}
