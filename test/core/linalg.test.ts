import { describe, it, expect } from 'vitest';
import fc from 'fast-check';
import {
  cholesky,
  choleskyFlat,
  choleskySolve,
  invertLowerTransposedFlat,
  solveLowerFlat,
  solveLowerTransposedFlat,
  identity,
  logDetFromCholesky,
  matmul,
  matvec,
  solveLower,
  solveUpper,
  symmetricEigen,
  transpose,
  type Matrix,
} from '../../src/core/linalg';

function maxAbsDiff(A: Matrix, B: Matrix): number {
  let m = 0;
  for (let i = 0; i < A.length; i++) for (let j = 0; j < A[i].length; j++) m = Math.max(m, Math.abs(A[i][j] - B[i][j]));
  return m;
}

describe('products, transpose, identity', () => {
  it('compute hand-checked values', () => {
    expect(identity(2)).toEqual([
      [1, 0],
      [0, 1],
    ]);
    expect(transpose([[1, 2, 3], [4, 5, 6]])).toEqual([
      [1, 4],
      [2, 5],
      [3, 6],
    ]);
    expect(matmul([[1, 2], [3, 4]], [[5], [6]])).toEqual([[17], [39]]);
    expect(matmul([[1, 2], [3, 4]], identity(2))).toEqual([
      [1, 2],
      [3, 4],
    ]);
    expect(matvec([[1, 2], [3, 4]], [1, 1])).toEqual([3, 7]);
  });

  it('validate shapes with clear messages', () => {
    expect(() => matmul([[1, 2]], [[1, 2]])).toThrow("matmul: 'A' columns must equal 'B' rows, got A 1x2 and B 1x2");
    expect(() => matmul([[1, 2], [3]], [[1], [2]])).toThrow("matmul: 'A' must be rectangular: row 0 has 2 entries but row 1 has 1");
    expect(() => transpose([])).toThrow("transpose: 'A' must have at least 1 item, got an empty array");
    expect(() => transpose([[1, NaN]])).toThrow("transpose: 'A' must hold only finite numbers, got NaN at [0][1]");
    expect(() => matvec([[1, 2]], [1])).toThrow("matvec: 'x' must have length 2, got length 1");
    expect(() => identity(0)).toThrow("identity: 'n' must be an integer >= 1, got 0");
  });
});

describe('cholesky', () => {
  it('factors a hand-computed example exactly', () => {
    // [[4, 2], [2, 3]]: L11 = 2, L21 = 2/2 = 1, L22 = sqrt(3 - 1) = sqrt(2).
    const { L, jitter } = cholesky([[4, 2], [2, 3]]);
    expect(jitter).toBe(0);
    expect(L).toEqual([
      [2, 0],
      [1, Math.SQRT2],
    ]);
  });

  it('reconstructs A to 1e-12 on a 4x4 SPD matrix', () => {
    const A = [
      [10, 2, 3, 1],
      [2, 8, 1, 0.5],
      [3, 1, 9, 2],
      [1, 0.5, 2, 7],
    ];
    const { L, jitter } = cholesky(A);
    expect(jitter).toBe(0);
    expect(maxAbsDiff(matmul(L, transpose(L)), A)).toBeLessThan(1e-12);
    for (let i = 0; i < 4; i++) for (let j = i + 1; j < 4; j++) expect(L[i][j]).toBe(0);
  });

  it('adds the smallest jitter that works to a singular PSD matrix, and reports it', () => {
    // [[1, 1], [1, 1]] has eigenvalues 0 and 2: the second pivot is 1 - 1 = 0. With ε = 1e-10 · mean
    // diagonal (= 1e-10) the pivot becomes (1 + ε) - 1/(1 + ε) ≈ 2ε > 0, so the first retry succeeds.
    const A = [
      [1, 1],
      [1, 1],
    ];
    const { L, jitter } = cholesky(A);
    expect(jitter).toBe(1e-10);
    const LLt = matmul(L, transpose(L));
    expect(maxAbsDiff(LLt, [[1 + jitter, 1], [1, 1 + jitter]])).toBeLessThan(1e-12);
  });

  it('scales jitter with the mean diagonal on a rank-one 3x3 kernel', () => {
    // v vᵀ with v = (1, 2, 3): mean diagonal 14/3; rank one, so the second pivot is 0.
    const A = [
      [1, 2, 3],
      [2, 4, 6],
      [3, 6, 9],
    ];
    const { L, jitter } = cholesky(A);
    expect(jitter).toBeGreaterThan(0);
    expect(jitter / (14 / 3)).toBeLessThanOrEqual(1e-4);
    // jitter is exactly 10^k · 1e-10 · (14/3) for some k.
    const k = Math.log10(jitter / (1e-10 * (14 / 3)));
    expect(Math.abs(k - Math.round(k))).toBeLessThan(1e-9);
    expect(maxAbsDiff(matmul(L, transpose(L)), A.map((row, i) => row.map((x, j) => x + (i === j ? jitter : 0))))).toBeLessThan(1e-12);
  });

  it('throws a clear error when A is not positive definite, with or without jitter', () => {
    // Eigenvalues 3 and -1: no small jitter helps.
    expect(() => cholesky([[1, 2], [2, 1]])).toThrow(/cholesky: 'A' is not positive definite \(pivot 1 is -3\), even with jitter up to 1\.00e-4/);
    expect(() => cholesky([[1, 1], [1, 1]], { jitter: false })).toThrow("cholesky: 'A' is not positive definite (pivot 1 is 0)");
    expect(() => cholesky([[-1, 0], [0, -1]])).toThrow("its mean diagonal is -1");
  });

  it('validates shape and symmetry', () => {
    expect(() => cholesky([[1, 2, 3], [2, 1, 0]])).toThrow("cholesky: 'A' must be square, got 2x3");
    expect(() => cholesky([[2, 1], [0, 2]])).toThrow("cholesky: 'A' must be symmetric, got A[1][0] = 0 but A[0][1] = 1");
    expect(() => cholesky([[1]], { maxJitter: -1 })).toThrow("cholesky: 'opts.maxJitter' must be a number > 0, got -1");
  });

  it('property: random SPD matrices factor, reconstruct and solve', () => {
    const entry = fc.double({ min: -1, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 8 }).chain((n) => fc.tuple(fc.constant(n), fc.array(entry, { minLength: n * n, maxLength: n * n }), fc.array(entry, { minLength: n, maxLength: n }))),
        ([n, flat, x]) => {
          const B = Array.from({ length: n }, (_, i) => flat.slice(i * n, (i + 1) * n));
          // B Bᵀ + 0.5 I is symmetric with eigenvalues >= 0.5: safely positive definite.
          const A = matmul(B, transpose(B)).map((row, i) => row.map((v, j) => v + (i === j ? 0.5 : 0)));
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i][j] = A[j][i];
          const { L, jitter } = cholesky(A);
          const b = matvec(A, x);
          const solved = choleskySolve(L, b);
          return (
            jitter === 0 &&
            maxAbsDiff(matmul(L, transpose(L)), A) < 1e-12 &&
            solved.every((v, i) => Math.abs(v - x[i]) < 1e-9)
          );
        },
      ),
      { seed: 42, numRuns: 200 },
    );
  });
});

describe('triangular solves and log-determinant', () => {
  const L = [
    [2, 0, 0],
    [1, 3, 0],
    [-1, 2, 4],
  ];

  it('solve hand-computed systems (vector right-hand side)', () => {
    // Forward: x0 = 4/2 = 2; x1 = (11 - 1·2)/3 = 3; x2 = (8 + 2 - 2·3)/4 = 1.
    expect(solveLower(L, [4, 11, 8])).toEqual([2, 3, 1]);
    // Lᵀ = [[2, 1, -1], [0, 3, 2], [0, 0, 4]]: back from x2 = 4/4 = 1; x1 = (8 - 2)/3 = 2; x0 = (3 - 2 + 1)/2 = 1.
    expect(solveUpper(transpose(L), [3, 8, 4])).toEqual([1, 2, 1]);
  });

  it('solve a matrix right-hand side column by column', () => {
    const X = solveLower(L, [
      [4, 2],
      [11, 1],
      [8, -1],
    ]);
    // Second column: x0 = 1, x1 = (1 - 1)/3 = 0, x2 = (-1 + 1 - 0)/4 = 0.
    expect(X).toEqual([
      [2, 1],
      [3, 0],
      [1, 0],
    ]);
  });

  it('choleskySolve solves A x = b and reads only the lower triangle', () => {
    // A = L Lᵀ = [[4, 2, -2], [2, 10, 5], [-2, 5, 21]]; with x = (1, 1, 1), b = A x = (4, 17, 24).
    const A = matmul(L, transpose(L));
    expect(A).toEqual([
      [4, 2, -2],
      [2, 10, 5],
      [-2, 5, 21],
    ]);
    const x = choleskySolve(L, [4, 17, 24]);
    x.forEach((v) => expect(v).toBeCloseTo(1, 14));
    const Lwithgarbage = L.map((row, i) => row.map((v, j) => (j > i ? 99 : v)));
    expect(solveLower(Lwithgarbage, [4, 11, 8])).toEqual([2, 3, 1]);
  });

  it('logDetFromCholesky is 2 Σ ln L_ii', () => {
    // det A = (2 · 3 · 4)² = 576.
    expect(logDetFromCholesky(L)).toBeCloseTo(Math.log(576), 14);
  });

  it('validate shapes and singular factors', () => {
    expect(() => solveLower(L, [1, 2])).toThrow("solveLower: 'b' must have length 3, got length 2");
    expect(() => solveLower(L, [[1], [2]])).toThrow("solveLower: 'b' must have 3 rows, got 2");
    expect(() => solveUpper([[1, 2], [0, 0]], [1, 1])).toThrow("solveUpper: 'U' is singular: its diagonal entry [1][1] is 0");
    expect(() => choleskySolve([[1, 0]], [1])).toThrow("choleskySolve: 'L' must be square, got 1x2");
    expect(() => logDetFromCholesky([[1, 0], [0, -2]])).toThrow("logDetFromCholesky: 'L' must have a positive diagonal (a Cholesky factor), got -2 at [1][1]");
  });
});

describe('flat forms (one row-major Float64Array)', () => {
  const flatten = (A: Matrix) => Float64Array.from(A.flat());
  it('choleskyFlat is cholesky on the same numbers: same factor, same jitter', () => {
    const A = [
      [10, 2, 3, 1],
      [2, 8, 1, 0.5],
      [3, 1, 9, 2],
      [1, 0.5, 2, 7],
    ];
    const flat = choleskyFlat(flatten(A), 4);
    expect(Array.from(flat.L)).toEqual(cholesky(A).L.flat());
    expect(choleskyFlat(Float64Array.of(1, 1, 1, 1), 2).jitter).toBe(1e-10);
    expect(Array.from(choleskyFlat(Float64Array.of(4, 2, 2, 3), 2).L)).toEqual([2, 0, 1, Math.SQRT2]);
  });
  it('solves and inverts against the nested forms on random SPD matrices', () => {
    const entry = fc.double({ min: -1, max: 1, noNaN: true });
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }).chain((n) => fc.tuple(fc.constant(n), fc.array(entry, { minLength: n * n, maxLength: n * n }), fc.array(entry, { minLength: n, maxLength: n }))),
        ([n, raw, b]) => {
          const B = Array.from({ length: n }, (_, i) => raw.slice(i * n, (i + 1) * n));
          const A = matmul(B, transpose(B)).map((row, i) => row.map((v, j) => v + (i === j ? 0.5 : 0)));
          for (let i = 0; i < n; i++) for (let j = 0; j < i; j++) A[i][j] = A[j][i];
          const { L } = cholesky(A);
          const Lf = choleskyFlat(flatten(A), n).L;
          const near = (u: ArrayLike<number>, v: number[]) => v.every((x, i) => Math.abs(u[i] - x) < 1e-9 * (1 + Math.abs(x)));
          const inv = invertLowerTransposedFlat(Lf, n);
          // L·(L⁻¹ column c) = e_c
          const identityBack = Array.from({ length: n }, (_, c) => matvec(L, Array.from(inv.subarray(c * n, (c + 1) * n))));
          return (
            near(solveLowerFlat(Lf, n, b), solveLower(L, b)) &&
            near(solveLowerTransposedFlat(Lf, n, b), solveUpper(transpose(L), b)) &&
            near(identityBack.flat(), identity(n).flat())
          );
        },
      ),
      { seed: 17, numRuns: 200 },
    );
  });
  it('name the argument on bad input', () => {
    expect(() => choleskyFlat(Float64Array.of(1, 2, 3), 2)).toThrow("choleskyFlat: 'A' must be a Float64Array of n·n = 4 entries, got");
    expect(() => choleskyFlat(Float64Array.of(1, NaN, NaN, 1), 2)).toThrow("choleskyFlat: 'A' must hold only finite numbers, got NaN at [0][1]");
    expect(() => choleskyFlat(Float64Array.of(2, 1, 0, 2), 2)).toThrow("choleskyFlat: 'A' must be symmetric");
    expect(() => solveLowerFlat(Float64Array.of(1, 0, 0, 1), 2, [1])).toThrow("solveLowerFlat: 'b' must be 2 numbers");
    expect(() => invertLowerTransposedFlat(Float64Array.of(1), 0)).toThrow("invertLowerTransposedFlat: 'n' must be an integer >= 1, got 0");
  });
});

describe('symmetricEigen', () => {
  const reconstruct = (values: number[], V: number[][]): number[][] =>
    V.map((_, i) => V.map((__, j) => values.reduce((s, l, k) => s + V[i][k] * l * V[j][k], 0)));

  it('finds the eigenvalues of small matrices known by hand', () => {
    expect(symmetricEigen([[2, 1], [1, 2]]).values.map((x) => +x.toFixed(12))).toEqual([1, 3]);
    expect(symmetricEigen([[5]]).values).toEqual([5]);
    // diag(3, -1, 2) in a rotated basis keeps its spectrum
    const { values } = symmetricEigen([[3, 0, 0], [0, -1, 0], [0, 0, 2]]);
    expect(values).toEqual([-1, 2, 3]);
  });

  it('reconstructs random symmetric matrices with orthonormal eigenvectors (property)', () => {
    const entry = fc.double({ min: -10, max: 10, noNaN: true });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9 }).chain((n) => fc.array(fc.array(entry, { minLength: n, maxLength: n }), { minLength: n, maxLength: n })), (M) => {
        const n = M.length;
        const A = M.map((row, i) => row.map((x, j) => (i <= j ? x : M[j][i])));
        const { values, vectors } = symmetricEigen(A);
        const back = reconstruct(values, vectors);
        const VtV = transpose(vectors).map((r) => transpose(vectors).map((c) => r.reduce((s, x, k) => s + x * c[k], 0)));
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < n; j++) {
            expect(back[i][j]).toBeCloseTo(A[i][j], 8);
            expect(VtV[i][j]).toBeCloseTo(i === j ? 1 : 0, 10);
          }
        }
        for (let k = 1; k < n; k++) expect(values[k]).toBeGreaterThanOrEqual(values[k - 1]);
        const trace = A.reduce((s, row, i) => s + row[i], 0);
        expect(values.reduce((s, x) => s + x, 0)).toBeCloseTo(trace, 8);
      }),
      { seed: 20261203, numRuns: 200 },
    );
  });

  it('names the argument when the matrix is not symmetric, not square or not finite', () => {
    expect(() => symmetricEigen([[1, 2], [3, 1]])).toThrow(/'A' must be symmetric, got A\[0\]\[1\] = 2 but A\[1\]\[0\] = 3/);
    expect(() => symmetricEigen([[1, 2, 3], [2, 1, 0]])).toThrow(/'A' must be square, got 2x3/);
    expect(() => symmetricEigen([[1, NaN], [NaN, 1]])).toThrow(/finite numbers/);
  });
});
