/**
 * Small dense linear algebra for Gaussian processes and least squares: Cholesky with jitter,
 * triangular solves, products.
 *
 * Representation: a matrix is a `number[][]` of rows (row-major, every row the same length), a
 * vector is a `number[]`. Plain arrays because they are JSON-safe, print readably in a notebook and
 * are what the rest of nasbook passes around. Loops that factorise many matrices (a GP's
 * hyper-parameter fit) use the flat form instead: an n×n matrix as one row-major Float64Array
 * (`choleskyFlat`, `solveLowerFlat`, ...). There is one factorisation: `cholesky` checks its
 * argument, flattens it and runs the same routine. Every function returns new arrays and leaves
 * its inputs unchanged.
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

/**
 * L with L·Lᵀ = A + shift·I (A flat, row-major n×n; only its lower triangle is read), or the
 * index of the first non-positive pivot. The inner products are unrolled by four: this loop is
 * where a GP fit spends its time.
 */
function tryCholeskyFlat(A: Float64Array, n: number, shift: number): { L: Float64Array } | { failedAt: number; pivot: number } {
  const L = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = A[rj + j] + shift;
    for (let k = 0; k < j; k++) d -= L[rj + k] * L[rj + k];
    if (!(d > 0)) return { failedAt: j, pivot: d };
    const ljj = Math.sqrt(d);
    L[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      L[ri + j] = (A[ri + j] - dot(L, ri, rj, j)) / ljj;
    }
  }
  return { L };
}

/** Σ_{k<len} a[i+k]·a[j+k], unrolled by four. */
function dot(a: Float64Array, i: number, j: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let k = 0;
  for (; k + 3 < len; k += 4) {
    s0 += a[i + k] * a[j + k];
    s1 += a[i + k + 1] * a[j + k + 1];
    s2 += a[i + k + 2] * a[j + k + 2];
    s3 += a[i + k + 3] * a[j + k + 3];
  }
  for (; k < len; k++) s0 += a[i + k] * a[j + k];
  return s0 + s1 + s2 + s3;
}

/**
 * The factorisation with jitter, shared by {@link cholesky} and {@link choleskyFlat}: try A as
 * given, then A + εI with ε = 1e-10, 1e-9, ... × the mean diagonal up to `maxJitter` × it.
 */
function factorWithJitter(A: Float64Array, n: number, opts: CholeskyOptions, caller: string): { L: Float64Array; jitter: number } {
  if (typeof opts !== 'object' || opts === null) throw new TypeError(`${caller}: 'opts' must be an object, got ${describe(opts)}`);
  const useJitter = opts.jitter ?? true;
  if (typeof useJitter !== 'boolean') throw new TypeError(`${caller}: 'opts.jitter' must be a boolean, got ${describe(useJitter)}`);
  const maxJitter = checkNumber('opts.maxJitter', opts.maxJitter ?? 1e-4, { min: 0, exclusiveMin: true }, caller);
  let scale = 0;
  for (let k = 0; k < A.length; k++) scale = Math.max(scale, Math.abs(A[k]));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (Math.abs(A[i * n + j] - A[j * n + i]) > 1e-9 * scale) {
        throw new RangeError(`${caller}: 'A' must be symmetric, got A[${i}][${j}] = ${A[i * n + j]} but A[${j}][${i}] = ${A[j * n + i]}`);
      }
    }
  }
  const first = tryCholeskyFlat(A, n, 0);
  if ('L' in first) return { L: first.L, jitter: 0 };
  const failure = `pivot ${first.failedAt} is ${first.pivot}`;
  if (!useJitter) {
    throw new Error(`${caller}: 'A' is not positive definite (${failure}); pass { jitter: true } to add a small multiple of I`);
  }
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += A[i * n + i] / n;
  if (!(meanDiagonal > 0)) {
    throw new Error(`${caller}: 'A' is not positive definite: its mean diagonal is ${meanDiagonal}, so no jitter relative to it can help`);
  }
  let tried = 0;
  // Powers of ten parsed from text, so the k-th try is exactly 1e(k-10) (repeated ×10 drifts).
  for (let k = 0, relative = 1e-10; relative <= maxJitter * (1 + 1e-12); k++, relative = Number(`1e${k - 10}`)) {
    const jitter = relative * meanDiagonal;
    tried = jitter;
    const attempt = tryCholeskyFlat(A, n, jitter);
    if ('L' in attempt) return { L: attempt.L, jitter };
  }
  throw new Error(
    `${caller}: 'A' is not positive definite (${failure}), even with jitter up to ${tried.toExponential(2)} (${maxJitter} × mean diagonal) added to the diagonal`,
  );
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
  const flat = new Float64Array(n * n);
  A.forEach((row, i) => flat.set(row, i * n));
  const { L, jitter } = factorWithJitter(flat, n, opts, caller);
  return { L: Array.from({ length: n }, (_, i) => Array.from(L.subarray(i * n, (i + 1) * n))), jitter };
}

/** A Cholesky factor in flat form, and the jitter it needed. */
export interface FlatCholeskyResult {
  /** Lower-triangular L, row-major n×n (zeros above the diagonal), with L·Lᵀ = A + jitter·I. */
  L: Float64Array;
  jitter: number;
}

/**
 * {@link cholesky} of a matrix given flat: row-major n×n in one Float64Array. Same routine, same
 * jitter rule; for loops that factorise many matrices and should not allocate rows.
 * @param A the n·n entries, row-major, symmetric, finite
 * @param n the size
 * @param opts `{ jitter = true, maxJitter = 1e-4 }`
 * @throws TypeError/RangeError if A is not n·n finite numbers or not symmetric; Error if not positive definite even with jitter
 * @example choleskyFlat(Float64Array.of(4, 2, 2, 3), 2).L // Float64Array [2, 0, 1, 1.4142135623730951]
 */
export function choleskyFlat(A: Float64Array, n: number, opts: CholeskyOptions = {}): FlatCholeskyResult {
  const caller = 'choleskyFlat';
  checkFlatSquare('A', A, n, caller);
  return factorWithJitter(A, n, opts, caller);
}

function checkFlatSquare(name: string, A: unknown, n: number, caller: string): void {
  checkInt('n', n, { min: 1 }, caller);
  if (!(A instanceof Float64Array) || A.length !== n * n) {
    throw new TypeError(`${caller}: '${name}' must be a Float64Array of n·n = ${n * n} entries, got ${describe(A)}`);
  }
  for (let k = 0; k < A.length; k++) {
    if (!Number.isFinite(A[k])) throw new TypeError(`${caller}: '${name}' must hold only finite numbers, got ${A[k]} at [${Math.floor(k / n)}][${k % n}]`);
  }
}

function checkFlatVector(name: string, b: unknown, n: number, caller: string): ArrayLike<number> {
  if (!(Array.isArray(b) || b instanceof Float64Array) || b.length !== n) {
    throw new RangeError(`${caller}: '${name}' must be ${n} numbers (an array or Float64Array), got ${describe(b)}`);
  }
  return b as ArrayLike<number>;
}

/**
 * Solves L·x = b for a flat lower-triangular L (forward substitution).
 * @param L row-major n×n lower-triangular factor (from {@link choleskyFlat})
 * @param n the size
 * @param b n numbers
 * @throws TypeError/RangeError for shapes that disagree
 * @example solveLowerFlat(Float64Array.of(2, 0, 1, 1), 2, [4, 3]) // Float64Array [2, 1]
 */
export function solveLowerFlat(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const caller = 'solveLowerFlat';
  checkFlatSquare('L', L, n, caller);
  const rhs = checkFlatVector('b', b, n, caller);
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let acc = rhs[i];
    for (let k = 0; k < i; k++) acc -= L[i * n + k] * x[k];
    x[i] = acc / L[i * n + i];
  }
  return x;
}

/**
 * Solves Lᵀ·x = b for a flat lower-triangular L (back substitution, no transpose built).
 * @param L row-major n×n lower-triangular factor
 * @param n the size
 * @param b n numbers
 * @throws TypeError/RangeError for shapes that disagree
 * @example solveLowerTransposedFlat(Float64Array.of(2, 0, 1, 1), 2, [5, 1]) // Float64Array [2, 1]
 */
export function solveLowerTransposedFlat(L: Float64Array, n: number, b: ArrayLike<number>): Float64Array {
  const caller = 'solveLowerTransposedFlat';
  checkFlatSquare('L', L, n, caller);
  const rhs = checkFlatVector('b', b, n, caller);
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let acc = rhs[i];
    for (let k = i + 1; k < n; k++) acc -= L[k * n + i] * x[k];
    x[i] = acc / L[i * n + i];
  }
  return x;
}

/**
 * L⁻¹ of a flat lower-triangular matrix, returned TRANSPOSED (row c holds column c of L⁻¹), so
 * that a caller summing over one column of L⁻¹ reads contiguous memory.
 * @param L row-major n×n lower-triangular with a non-zero diagonal
 * @param n the size
 * @throws TypeError/RangeError for a wrong shape
 * @example invertLowerTransposedFlat(Float64Array.of(2, 0, 1, 1), 2) // Float64Array [0.5, -0.5, 0, 1]
 */
export function invertLowerTransposedFlat(L: Float64Array, n: number): Float64Array {
  checkFlatSquare('L', L, n, 'invertLowerTransposedFlat');
  const invT = new Float64Array(n * n);
  for (let col = 0; col < n; col++) {
    const rc = col * n;
    invT[rc + col] = 1 / L[rc + col];
    for (let i = col + 1; i < n; i++) {
      // (L⁻¹)[i][col] = −Σ_{col<=k<i} L[i][k]·(L⁻¹)[k][col] / L[i][i], summed in two interleaved halves.
      const a = i * n + col;
      const b = rc + col;
      const len = i - col;
      let s0 = 0;
      let s1 = 0;
      let k = 0;
      for (; k + 1 < len; k += 2) {
        s0 += L[a + k] * invT[b + k];
        s1 += L[a + k + 1] * invT[b + k + 1];
      }
      if (k < len) s0 += L[a + k] * invT[b + k];
      invT[rc + i] = -(s0 + s1) / L[i * n + i];
    }
  }
  return invT;
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

/** The eigen-decomposition of a symmetric matrix: A = V·diag(values)·Vᵀ. */
export interface SymmetricEigen {
  /** Eigenvalues in ascending order. */
  values: Vector;
  /** Orthonormal eigenvectors as the COLUMNS of V, in the order of `values`. */
  vectors: Matrix;
}

/** Largest relative asymmetry accepted: a correlation matrix computed in floating point is symmetric only to rounding. */
const SYMMETRY_TOLERANCE = 1e-9;

/**
 * Eigenvalues and eigenvectors of a real symmetric matrix by the cyclic Jacobi method: plane
 * rotations zero the off-diagonal entries one by one until they are negligible against the
 * diagonal. Slower than QR for large n, but simple, accurate to a few ulps of ‖A‖ and robust for
 * the small matrices nasbook needs (a batch's Jacobian correlations: n ≤ a few hundred).
 * @param A a square symmetric matrix (finite entries; |Aᵢⱼ − Aⱼᵢ| ≤ 1e-9·max|A|)
 * @throws TypeError for a non-finite entry; RangeError if A is not square or not symmetric
 * @example symmetricEigen([[2, 1], [1, 2]]).values // [1, 3]
 */
export function symmetricEigen(A: Matrix): SymmetricEigen {
  const caller = 'symmetricEigen';
  const n = checkSquare('A', A, caller);
  const scale = Math.max(...A.map((row) => Math.max(...row.map(Math.abs))));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      if (Math.abs(A[i][j] - A[j][i]) > SYMMETRY_TOLERANCE * Math.max(scale, 1e-300)) {
        throw new RangeError(`${caller}: 'A' must be symmetric, got A[${i}][${j}] = ${A[i][j]} but A[${j}][${i}] = ${A[j][i]}`);
      }
    }
  }
  // Work on the symmetrised copy, flat and row-major.
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) a[i * n + j] = (A[i][j] + A[j][i]) / 2;
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) v[i * n + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) for (let q = p + 1; q < n; q++) off += a[p * n + q] * a[p * n + q];
    if (off <= Number.EPSILON * Number.EPSILON * Math.max(scale * scale, 1e-300) * n) break;
    for (let p = 0; p < n - 1; p++) for (let q = p + 1; q < n; q++) rotate(a, v, n, p, q);
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[i * n + i] - a[j * n + j]);
  return {
    values: order.map((i) => a[i * n + i]),
    vectors: Array.from({ length: n }, (_, r) => order.map((i) => v[r * n + i])),
  };
}

/** One Jacobi rotation in the (p, q) plane that zeroes a[p][q] (Golub & Van Loan, Algorithm 8.5.1), applied to a and accumulated in v. */
function rotate(a: Float64Array, v: Float64Array, n: number, p: number, q: number): void {
  const apq = a[p * n + q];
  if (apq === 0) return;
  const theta = (a[q * n + q] - a[p * n + p]) / (2 * apq);
  const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
  const c = 1 / Math.sqrt(t * t + 1);
  const s = t * c;
  for (let k = 0; k < n; k++) {
    const akp = a[k * n + p];
    const akq = a[k * n + q];
    a[k * n + p] = c * akp - s * akq;
    a[k * n + q] = s * akp + c * akq;
  }
  for (let k = 0; k < n; k++) {
    const apk = a[p * n + k];
    const aqk = a[q * n + k];
    a[p * n + k] = c * apk - s * aqk;
    a[q * n + k] = s * apk + c * aqk;
  }
  for (let k = 0; k < n; k++) {
    const vkp = v[k * n + p];
    const vkq = v[k * n + q];
    v[k * n + p] = c * vkp - s * vkq;
    v[k * n + q] = s * vkp + c * vkq;
  }
}
