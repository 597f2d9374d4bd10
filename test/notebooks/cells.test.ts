/**
 * The shape of every notebook, checked without Jupyter: code cells stay short (the logic lives in
 * src/, a cell is a few calls between paragraphs), and every headlines file belongs to a notebook.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { courseDir } from '../../src/core/paths';
import { HEADLINES_DIR, headlinesFileOf } from './headlines';

/** Most non-blank lines a code cell may have. */
const MAX_CELL_LINES = 15;

/**
 * Cells allowed to be longer, by `notebook#cell id`, each with its reason. Keep it short: a long
 * cell usually means library logic that belongs in src/ with a test.
 */
const LONG_CELLS: Record<string, string> = {
};

interface Cell { cell_type: string; id?: string; source: string | string[] }

const notebooks = fs.readdirSync(courseDir('notebooks')).filter((f) => f.endsWith('.ipynb')).sort();

function cellsOf(name: string): Cell[] {
  return (JSON.parse(fs.readFileSync(path.join(courseDir('notebooks'), name), 'utf8')) as { cells: Cell[] }).cells;
}

/** Lines a reader has to read: blank lines do not count. */
function linesOf(cell: Cell): number {
  const source = Array.isArray(cell.source) ? cell.source.join('') : cell.source;
  return source.split('\n').filter((line) => line.trim() !== '').length;
}

/** Every code cell over the limit, as `notebook#id` (or `notebook#index` for a cell without id). */
function longCells(): Map<string, number> {
  const long = new Map<string, number>();
  for (const name of notebooks) {
    cellsOf(name).forEach((cell, index) => {
      if (cell.cell_type === 'code' && linesOf(cell) > MAX_CELL_LINES) long.set(`${name}#${cell.id ?? index}`, linesOf(cell));
    });
  }
  return long;
}

describe('notebook cells', () => {
  it(`keeps every code cell to ${MAX_CELL_LINES} non-blank lines, except the allow-listed ones`, () => {
    const offenders = [...longCells()].filter(([key]) => !(key in LONG_CELLS)).map(([key, n]) => `${key}: ${n} lines`);
    expect(offenders, 'move the logic into src/ (with a test) or split the cell').toEqual([]);
  });

  it('has no stale allow-list entry (each names a cell that exists and is still long)', () => {
    const long = longCells();
    const stale = Object.keys(LONG_CELLS).filter((key) => !long.has(key));
    expect(stale, 'remove these entries from LONG_CELLS').toEqual([]);
  });

  it('gives every allow-listed cell a reason', () => {
    for (const [key, reason] of Object.entries(LONG_CELLS)) expect(reason.trim().length, key).toBeGreaterThan(10);
  });
});

describe('headlines files', () => {
  const files = fs.existsSync(HEADLINES_DIR) ? fs.readdirSync(HEADLINES_DIR).filter((f) => f.endsWith('.ts')) : [];

  it('each belongs to a notebook (same base name)', () => {
    const expected = new Set(notebooks.map((nb) => path.basename(headlinesFileOf(nb))));
    expect(files.filter((f) => !expected.has(f)), 'a headlines file without its notebook is never run').toEqual([]);
  });

  for (const file of files) {
    it(`${file} exports headlines(text), which rejects a notebook that printed nothing`, async () => {
      const module = (await import(path.join(HEADLINES_DIR, file))) as { headlines?: unknown };
      expect(typeof module.headlines).toBe('function');
      expect(() => (module.headlines as (text: string) => void)('')).toThrow();
    });
  }
});
