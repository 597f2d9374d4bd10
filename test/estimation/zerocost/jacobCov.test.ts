import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { createRng } from '../../../src/core/rng';
import { jacobCovScore, rowCorrelations } from '../../../src/estimation/zerocost/jacobCov';

/** numpy, the reference implementation's own library, when Debian's python3-numpy is installed. */
function numpyScore(rows: number[][]): number | null {
  const code = 'import json,sys,numpy as np\nj=np.array(json.load(sys.stdin))\nv,_=np.linalg.eig(np.corrcoef(j))\nprint(float(np.real(-np.sum(np.log(v+1e-5)+1./(v+1e-5)))))';
  const r = spawnSync('/usr/bin/python3', ['-c', code], { input: JSON.stringify(rows), encoding: 'utf8' });
  return r.status === 0 ? Number(r.stdout) : null;
}

describe('jacobCovScore', () => {
  it('scores two rows correlated -0.5 from the eigenvalues 0.5 and 1.5, worked by hand', () => {
    expect(rowCorrelations([[1, 0, 0], [0, 1, 0]])[0][1]).toBeCloseTo(-0.5, 14);
    const byHand = -[0.5, 1.5].reduce((s, v) => s + Math.log(v + 1e-5) + 1 / (v + 1e-5), 0);
    expect(jacobCovScore([[1, 0, 0], [0, 1, 0]])).toBeCloseTo(byHand, 12);
  });

  it('is highest for uncorrelated rows and falls as rows become alike', () => {
    const flat = jacobCovScore([[1, -1, 0, 0], [0, 0, 1, -1]]); // correlation 0: identity spectrum
    expect(flat).toBeCloseTo(-2 * (Math.log(1 + 1e-5) + 1 / (1 + 1e-5)), 10);
    const alike = jacobCovScore([[1, 2, 3, 4], [1, 2, 3, 4.0001]]);
    expect(alike).toBeLessThan(flat - 1000); // a near-zero eigenvalue costs up to 1/k
  });

  it('equals numpy (corrcoef + eig) on random batches', () => {
    const rng = createRng('jacob');
    for (let trial = 0; trial < 5; trial++) {
      const rows = Array.from({ length: 8 }, () => Array.from({ length: 20 }, () => rng.normal()));
      const reference = numpyScore(rows);
      if (reference === null) {
        console.warn('python3-numpy not found: jacobCovScore checked by hand only');
        return;
      }
      expect(jacobCovScore(rows)).toBeCloseTo(reference, 6);
    }
  });

  it('names the argument for a batch of one, a constant row, ragged rows, NaN or k <= 0', () => {
    expect(() => jacobCovScore([[1, 2, 3]])).toThrow(/'rows' must .*at least 2/);
    expect(() => jacobCovScore([[1, 1, 1], [1, 2, 3]])).toThrow(/'rows\[0\]' must vary/);
    expect(() => jacobCovScore([[1, 2, 3], [1, 2]])).toThrow(/rows of equal length/);
    expect(() => jacobCovScore([[1, NaN, 3], [1, 2, 3]])).toThrow(/finite/);
    expect(() => jacobCovScore([[1, 2], [2, 1]], 0)).toThrow(/'k' must be/);
  });
});
