/**
 * Small dense linear algebra for Gaussian processes and least squares: Cholesky with jitter,
 * triangular solves, products.
 *
 * Representation: a matrix is a `number[][]` of rows (row-major, every row the same length), a
 * vector is a `number[]`. Plain arrays rather than Float64Array because they are JSON-safe, print
 * readably in a notebook and are what the rest of nasbook passes around; the matrices here are a
 * few hundred rows at most, where the difference in speed does not matter. Every function returns
 * new arrays and leaves its inputs unchanged.
 */
import { checkArray, checkInt, checkNumber, describe } from './checks';

/** A dense matrix as an array of rows. */
export type Matrix = number[][];
/** A dense vector. */
export type Vector = number[];

interface Shape {
  rows: number;
  cols: number;
}

function checkMatrix(name: string, value: unknown, caller: string): Shape {
  const rows = checkArray<unknown>(name, value, { minLength: 1 }, caller);
  const first = rows[0];
  if (!Array.isArray(first) || first.length === 0) {
    throw new TypeError(`${caller}: '${name}' must be a non-empty matrix (an array of equal-length number rows), got ${describe(value)}`);
  }
  const cols = first.length;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (!Array.isArray(row)) throw new TypeError(`${caller}: '${name}' row ${i} must be an array, got ${describe(row)}`);
    if (row.length !== cols) {
      throw new RangeError(`${caller}: '${name}' must be rectangular: row 0 has ${cols} entries but row ${i} has ${row.length}`);
    }
    for (let j = 0; j < cols; j++) {
      const x = row[j];
      if (typeof x !== 'number' || !Number.isFinite(x)) {
        throw new TypeError(`${caller}: '${name}' must hold only finite numbers, got ${describe(x)} at [${i}][${j}]`);
      }
    }
  }
  return { rows: rows.length, cols };
}

function checkSquare(name: string, value: unknown, caller: string): number {
  const { rows, cols } = checkMatrix(name, value, caller);
  if (rows !== cols) throw new RangeError(`${caller}: '${name}' must be square, got ${rows}x${cols}`);
  return rows;
}

function checkVector(name: string, value: unknown, length: number, caller: string): Vector {
  const v = checkArray<unknown>(name, value, {}, caller);
  if (v.length !== length) throw new RangeError(`${caller}: '${name}' must have length ${length}, got length ${v.length}`);
  for (let i = 0; i < v.length; i++) {
    if (typeof v[i] !== 'number' || !Number.isFinite(v[i])) {
      throw new TypeError(`${caller}: '${name}' must hold only finite numbers, got ${describe(v[i])} at index ${i}`);
    }
  }
  return v as Vector;
}

/**
 * The n×n identity matrix.
 * @param n size, an integer >= 1
 * @throws RangeError if n is not a positive integer
 * @example identity(2) // [[1, 0], [0, 1]]
 */
export function identity(n: number): Matrix {
  checkInt('n', n, { min: 1 }, 'identity');
  return Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
}

/**
 * The transpose Aᵀ.
 * @param A a non-empty rectangular matrix
 * @throws TypeError/RangeError if A is not a rectangular matrix of finite numbers
 * @example transpose([[1, 2, 3], [4, 5, 6]]) // [[1, 4], [2, 5], [3, 6]]
 */
export function transpose(A: Matrix): Matrix {
  const { rows, cols } = checkMatrix('A', A, 'transpose');
  return Array.from({ length: cols }, (_, j) => Array.from({ length: rows }, (_, i) => A[i][j]));
}

/**
 * The matrix product A·B.
 * @param A an m×k matrix
 * @param B a k×n matrix
 * @throws RangeError if the inner dimensions differ
 * @example matmul([[1, 2], [3, 4]], [[5], [6]]) // [[17], [39]]
 */
export function matmul(A: Matrix, B: Matrix): Matrix {
  const a = checkMatrix('A', A, 'matmul');
  const b = checkMatrix('B', B, 'matmul');
  if (a.cols !== b.rows) {
    throw new RangeError(`matmul: 'A' columns must equal 'B' rows, got A ${a.rows}x${a.cols} and B ${b.rows}x${b.cols}`);
  }
  const out: Matrix = Array.from({ length: a.rows }, () => new Array<number>(b.cols).fill(0));
  for (let i = 0; i < a.rows; i++) {
    const row = out[i];
    for (let k = 0; k < a.cols; k++) {
      const aik = A[i][k];
      const bk = B[k];
      for (let j = 0; j < b.cols; j++) row[j] += aik * bk[j];
    }
  }
  return out;
}

/**
 * The matrix-vector product A·x.
 * @param A an m×n matrix
 * @param x a vector of length n
 * @throws RangeError if x's length differs from A's column count
 * @example matvec([[1, 2], [3, 4]], [1, 1]) // [3, 7]
 */
export function matvec(A: Matrix, x: Vector): Vector {
  const a = checkMatrix('A', A, 'matvec');
  checkVector('x', x, a.cols, 'matvec');
  return A.map((row) => {
    let s = 0;
    for (let j = 0; j < a.cols; j++) s += row[j] * x[j];
    return s;
  });
}

/** Options of {@link cholesky}. */
export interface CholeskyOptions {
  /**
   * When A is not numerically positive definite, retry with εI added, ε starting at 1e-10 times
   * the mean diagonal and growing ×10 per retry up to `maxJitter` times the mean diagonal.
   * Default true; false makes any failure an error.
   */
  jitter?: boolean;
  /** Largest jitter tried, relative to the mean diagonal (default 1e-4). */
  maxJitter?: number;
}

/** A Cholesky factor and the jitter that had to be added to A's diagonal to get it. */
export interface CholeskyResult {
  /** Lower-triangular L with L·Lᵀ = A + jitter·I (entries above the diagonal are 0). */
  L: Matrix;
  /** The ε added to every diagonal entry; 0 when A factorised as given. */
  jitter: number;
}

/** L with L·Lᵀ = A + shift·I, or the index of the first non-positive pivot. */
function tryCholesky(A: Matrix, shift: number): { L: Matrix } | { failedAt: number; pivot: number } {
  const n = A.length;
  const L: Matrix = Array.from({ length: n }, () => new Array<number>(n).fill(0));
  for (let j = 0; j < n; j++) {
    let d = A[j][j] + shift;
    const Lj = L[j];
    for (let k = 0; k < j; k++) d -= Lj[k] * Lj[k];
    if (!(d > 0)) return { failedAt: j, pivot: d };
    const ljj = Math.sqrt(d);
    Lj[j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const Li = L[i];
      let s = A[i][j];
      for (let k = 0; k < j; k++) s -= Li[k] * Lj[k];
      Li[j] = s / ljj;
    }
  }
  return { L };
}

/**
 * The Cholesky factorisation A = L·Lᵀ of a symmetric positive definite matrix. Kernel matrices
 * are often positive definite only in exact arithmetic (two identical architectures give two
 * equal rows); then a small jitter εI is added, starting at 1e-10 × mean diagonal and ×10 per try,
 * and the ε used is returned so the caller can see it. O(n³/3).
 * @param A a symmetric n×n matrix (symmetric to 1e-9 relative to its largest entry)
 * @param opts `{ jitter = true, maxJitter = 1e-4 }`
 * @throws RangeError if A is not square or symmetric, or Error if it is not positive definite even with the largest jitter
 * @example cholesky([[4, 2], [2, 3]]) // { L: [[2, 0], [1, 1.4142135623730951]], jitter: 0 }
 */
export function cholesky(A: Matrix, opts: CholeskyOptions = {}): CholeskyResult {
  const caller = 'cholesky';
  const n = checkSquare('A', A, caller);
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const useJitter = opts.jitter ?? true;
  if (typeof useJitter !== 'boolean') throw new TypeError(`${caller}: 'opts.jitter' must be a boolean, got ${describe(useJitter)}`);
  const maxJitter = checkNumber('opts.maxJitter', opts.maxJitter ?? 1e-4, { min: 0, exclusiveMin: true }, caller);

  let scale = 0;
  for (const row of A) for (const x of row) scale = Math.max(scale, Math.abs(x));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(A[i][j] - A[j][i]) > 1e-9 * scale) {
        throw new RangeError(`${caller}: 'A' must be symmetric, got A[${i}][${j}] = ${A[i][j]} but A[${j}][${i}] = ${A[j][i]}`);
      }
    }
  }
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += A[i][i] / n;

  const first = tryCholesky(A, 0);
  if ('L' in first) return { L: first.L, jitter: 0 };
  const failure = `pivot ${first.failedAt} is ${first.pivot}`;
  if (!useJitter) {
    throw new Error(`${caller}: 'A' is not positive definite (${failure}); pass { jitter: true } to add a small multiple of I`);
  }
  if (!(meanDiagonal > 0)) {
    throw new Error(`${caller}: 'A' is not positive definite: its mean diagonal is ${meanDiagonal}, so no jitter relative to it can help`);
  }
  let tried = 0;
  // Powers of ten parsed from text, so the k-th try is exactly 1e(k-10) (repeated ×10 drifts).
  for (let k = 0, relative = 1e-10; relative <= maxJitter * (1 + 1e-12); k++, relative = Number(`1e${k - 10}`)) {
    const jitter = relative * meanDiagonal;
    tried = jitter;
    const attempt = tryCholesky(A, jitter);
    if ('L' in attempt) return { L: attempt.L, jitter };
  }
  throw new Error(
    `${caller}: 'A' is not positive definite (${failure}), even with jitter up to ${tried.toExponential(2)} (${maxJitter} × mean diagonal) added to the diagonal`,
  );
}

function checkTriangular(name: string, T: Matrix, caller: string): number {
  const n = checkSquare(name, T, caller);
  for (let i = 0; i < n; i++) {
    if (T[i][i] === 0) throw new RangeError(`${caller}: '${name}' is singular: its diagonal entry [${i}][${i}] is 0`);
  }
  return n;
}

/** Normalises a vector or matrix right-hand side to columns, so one solver serves both. */
function rightHandSide(b: Vector | Matrix, n: number, caller: string): { columns: Vector[]; isVector: boolean } {
  const arr = checkArray<unknown>('b', b, {}, caller);
  if (arr.length > 0 && Array.isArray(arr[0])) {
    const shape = checkMatrix('b', b, caller);
    if (shape.rows !== n) throw new RangeError(`${caller}: 'b' must have ${n} rows, got ${shape.rows}`);
    return { columns: transpose(b as Matrix), isVector: false };
  }
  return { columns: [checkVector('b', b, n, caller).slice()], isVector: true };
}

function shapeLike(columns: Vector[], isVector: boolean): Vector | Matrix {
  return isVector ? columns[0] : transpose(columns);
}

/** Forward substitution on one column; reads only the lower triangle of L. */
function forward(L: Matrix, b: Vector): Vector {
  const n = b.length;
  const x = b.slice();
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i][k] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/** Back substitution on one column; reads only the upper triangle of U. */
function backward(U: Matrix, b: Vector): Vector {
  const n = b.length;
  const x = b.slice();
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= U[i][k] * x[k];
    x[i] = s / U[i][i];
  }
  return x;
}

/** Back substitution for Lᵀx = b using L itself (no transpose is built). */
function backwardTransposed(L: Matrix, b: Vector): Vector {
  const n = b.length;
  const x = b.slice();
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k][i] * x[k];
    x[i] = s / L[i][i];
  }
  return x;
}

/**
 * Solves L·x = b by forward substitution. Like LAPACK's trtrs it reads only the lower triangle
 * of L (entries above the diagonal are ignored). `b` may be a vector or a matrix with one
 * right-hand side per column; the result has the same shape.
 * @param L an n×n lower-triangular matrix with a non-zero diagonal
 * @param b a vector of length n or an n×k matrix
 * @throws RangeError if shapes disagree or L has a zero on its diagonal
 * @example solveLower([[2, 0], [1, 1]], [4, 3]) // [2, 1]
 */
export function solveLower(L: Matrix, b: Vector): Vector;
export function solveLower(L: Matrix, b: Matrix): Matrix;
export function solveLower(L: Matrix, b: Vector | Matrix): Vector | Matrix {
  const n = checkTriangular('L', L, 'solveLower');
  const { columns, isVector } = rightHandSide(b, n, 'solveLower');
  return shapeLike(
    columns.map((c) => forward(L, c)),
    isVector,
  );
}

/**
 * Solves U·x = b by back substitution, reading only the upper triangle of U. `b` may be a vector
 * or a matrix with one right-hand side per column; the result has the same shape.
 * @param U an n×n upper-triangular matrix with a non-zero diagonal
 * @param b a vector of length n or an n×k matrix
 * @throws RangeError if shapes disagree or U has a zero on its diagonal
 * @example solveUpper([[2, 1], [0, 1]], [5, 1]) // [2, 1]
 */
export function solveUpper(U: Matrix, b: Vector): Vector;
export function solveUpper(U: Matrix, b: Matrix): Matrix;
export function solveUpper(U: Matrix, b: Vector | Matrix): Vector | Matrix {
  const n = checkTriangular('U', U, 'solveUpper');
  const { columns, isVector } = rightHandSide(b, n, 'solveUpper');
  return shapeLike(
    columns.map((c) => backward(U, c)),
    isVector,
  );
}

/**
 * Solves A·x = b given the Cholesky factor L of A (A = L·Lᵀ): first L·y = b, then Lᵀ·x = y.
 * This is how a GP computes K⁻¹y without forming the inverse.
 * @param L the lower-triangular factor from {@link cholesky}
 * @param b a vector of length n or an n×k matrix
 * @throws RangeError if shapes disagree or L has a zero on its diagonal
 * @example choleskySolve(cholesky([[4, 2], [2, 3]]).L, [6, 5]) // ≈ [1, 1]
 */
export function choleskySolve(L: Matrix, b: Vector): Vector;
export function choleskySolve(L: Matrix, b: Matrix): Matrix;
export function choleskySolve(L: Matrix, b: Vector | Matrix): Vector | Matrix {
  const n = checkTriangular('L', L, 'choleskySolve');
  const { columns, isVector } = rightHandSide(b, n, 'choleskySolve');
  return shapeLike(
    columns.map((c) => backwardTransposed(L, forward(L, c))),
    isVector,
  );
}

/**
 * ln det A from A's Cholesky factor: 2 Σ ln Lᵢᵢ (no overflow for large matrices, unlike det).
 * @param L the lower-triangular factor from {@link cholesky} (positive diagonal)
 * @throws RangeError if L is not square or has a non-positive diagonal entry
 * @example logDetFromCholesky([[2, 0], [1, 1.5]]) // ln 9 ≈ 2.19722457733622
 */
export function logDetFromCholesky(L: Matrix): number {
  const n = checkSquare('L', L, 'logDetFromCholesky');
  let s = 0;
  for (let i = 0; i < n; i++) {
    if (!(L[i][i] > 0)) {
      throw new RangeError(`logDetFromCholesky: 'L' must have a positive diagonal (a Cholesky factor), got ${L[i][i]} at [${i}][${i}]`);
    }
    s += Math.log(L[i][i]);
  }
  return 2 * s;
}
