/**
 * The cell a kernel is executing, recorded by nasbook's kernel (tslabPatches.ts) and read by
 * `show` (viz/notebook.ts). A global symbol, so every copy of nasbook loaded in a kernel sees it.
 */

/** One execution of a cell. */
export interface CellRun {
  /** The cell's code. */
  code: string;
  /** The front end's cell id (JupyterLab and Notebook 7 send one; the classic Notebook and nbclient do not). */
  cellId?: string;
  /** A new number for every execute request of the kernel. */
  run: number;
}

export const CURRENT_CELL = Symbol.for('nasbook.currentCell');

/** The cell being executed, or null outside nasbook's kernel. */
export function currentCell(): CellRun | null {
  const cell = (globalThis as Record<symbol, unknown>)[CURRENT_CELL] as CellRun | undefined;
  return cell && typeof cell.code === 'string' && typeof cell.run === 'number' ? cell : null;
}

/** The same cell run again: the same id where the front end sends ids, else the same code. */
export function sameCell(a: CellRun, b: CellRun): boolean {
  return a.cellId !== undefined && b.cellId !== undefined ? a.cellId === b.cellId : a.code === b.code;
}
