/**
 * The arithmetic of a transposed convolution (the input gradient of a strided convolution) done
 * as one ordinary stride-1 convolution, by output phase ("sub-pixel" decomposition).
 *
 * Along one axis the forward is y[i] = sum_a x[i*s + a - p] f[a]. Its input gradient is
 * dx[u] = sum over (i, a) with i*s + a - p = u of dy[i] f[a]. Split u = q*s + r by phase r: writing
 * r + p = m*s + c (0 <= c < s), only taps a = c + s*t contribute, from dy[q + m - t]. So each phase
 * is a stride-1 correlation of dy (not of a zero-dilated dy) with its own few taps, and all phases
 * together are one correlation whose output channels hold the s phases; interleaving the phases
 * (a depth-to-space transpose) gives dx. Compared with correlating the zero-dilated dy with the whole filter,
 * this skips the s*s - 1 zeros of every s*s block: for k = 3, s = 2 it does 4 taps per output
 * pixel group instead of 9 per pixel.
 *
 * These functions are plain arithmetic on numbers and arrays; the kernel that uses them is
 * conv2dBackpropInput.ts.
 */

/** How the s output phases along one axis read the upstream gradient. */
export interface PhaseTaps {
  /** The stride (number of phases). */
  stride: number;
  /** Zero rows to put before dy (negative: rows of dy to drop from the start). */
  lead: number;
  /** Width of the combined correlation window. */
  width: number;
  /** tap[r][w]: the forward filter index phase r applies at window offset w, or -1 for none. */
  tap: number[][];
}

/**
 * The taps of each phase along one axis.
 *
 * @param k Filter size along the axis.
 * @param s Stride along the axis.
 * @param p The forward's leading padding along the axis.
 * @returns Lead padding, window width and the per-phase taps.
 * @example
 * phaseTaps(3, 2, 0); // { stride: 2, lead: 1, width: 2, tap: [[2, 0], [-1, 1]] }
 */
export function phaseTaps(k: number, s: number, p: number): PhaseTaps {
  const phases = Array.from({ length: s }, (_, r) => {
    const m = Math.floor((r + p) / s);
    const c = (r + p) % s;
    const count = c < k ? Math.ceil((k - c) / s) : 0;
    return { m, c, count };
  });
  const used = phases.filter((ph) => ph.count > 0);
  // Phase with first index c always has a tap (c = 0 occurs for some r), so `used` is never empty.
  const lead = Math.max(...used.map((ph) => ph.count - 1 - ph.m));
  const width = Math.max(...used.map((ph) => lead + ph.m)) + 1;
  const tap = phases.map((ph) => Array.from({ length: width }, (_, w) => {
    const t = lead + ph.m - w;
    return t >= 0 && t < ph.count ? ph.c + s * t : -1;
  }));
  return { stride: s, lead, width, tap };
}

/**
 * The combined filter of the phase decomposition: shape [widthH, widthW, outC, sH, sW, inC]
 * (flattened), from a forward filter [kH, kW, inC, outC]. Its output channels are ordered
 * (phase row, phase column, input channel), so the phases interleave by a depth-to-space transpose.
 *
 * @param f Forward filter values, [kH, kW, inC, outC] row-major.
 * @param shape The forward filter's shape.
 * @param th Phase taps along the height.
 * @param tw Phase taps along the width.
 * @returns The combined filter values.
 * @example
 * subPixelFilter(new Float32Array([1, 2, 3]), [1, 3, 1, 1], phaseTaps(1, 1, 0), phaseTaps(3, 2, 0)); // [3, 0, 1, 2]
 */
export function subPixelFilter(
  f: Float32Array, shape: readonly [number, number, number, number], th: PhaseTaps, tw: PhaseTaps,
): Float32Array {
  const [, kW, inC, outC] = shape;
  const sH = th.stride;
  const sW = tw.stride;
  const out = new Float32Array(th.width * tw.width * outC * sH * sW * inC);
  let o = 0;
  for (let wh = 0; wh < th.width; wh++) {
    for (let ww = 0; ww < tw.width; ww++) {
      for (let co = 0; co < outC; co++) {
        for (let rh = 0; rh < sH; rh++) {
          const ah = th.tap[rh][wh];
          for (let rw = 0; rw < sW; rw++) {
            const aw = tw.tap[rw][ww];
            if (ah < 0 || aw < 0) {
              o += inC;
              continue;
            }
            const base = (ah * kW + aw) * inC * outC + co;
            for (let ci = 0; ci < inC; ci++) out[o++] = f[base + ci * outC];
          }
        }
      }
    }
  }
  return out;
}

/**
 * A filter flipped in both spatial axes (a [kH, kW, ...] array, the trailing axes kept).
 *
 * @param f Filter values, row-major.
 * @param shape Its shape; the first two axes are flipped.
 * @returns The flipped values.
 * @example
 * flipSpatial(new Float32Array([1, 2, 3, 4]), [2, 2, 1, 1]); // [4, 3, 2, 1]
 */
export function flipSpatial(f: Float32Array, shape: readonly number[]): Float32Array {
  const [kH, kW] = shape;
  const inner = shape.slice(2).reduce((a, b) => a * b, 1);
  const out = new Float32Array(f.length);
  for (let a = 0; a < kH; a++) {
    for (let b = 0; b < kW; b++) {
      const from = (a * kW + b) * inner;
      const to = ((kH - 1 - a) * kW + (kW - 1 - b)) * inner;
      out.set(f.subarray(from, from + inner), to);
    }
  }
  return out;
}
