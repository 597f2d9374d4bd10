/**
 * nasbook's kernel pack: SIMD float32 kernels in AssemblyScript, compiled to one WebAssembly module
 * that imports the tfjs wasm backend's memory, so every pointer here is a byte offset the backend
 * handed out for a tensor (see ../loader.ts). All tensors are NHWC, filters [kH, kW, inC, outC].
 *
 * This file is compiled by `asc` (npm run build:pack), not by tsc: `f32`, `v128`, `load` and
 * `store` are AssemblyScript built-ins. The module must hold no static data (it would be written
 * into the backend's heap at offset 0), so nothing here allocates, throws or uses strings; the
 * JavaScript side checks every shape before calling.
 *
 * The arithmetic is one pattern, out[0:N] += sum_k src[k] * w[k, 0:N] with the accumulators of a
 * block of 16 (then 4, then 1) outputs held in SIMD registers for as long as possible:
 * - windowAdd: one output pixel of the forward convolution, over every tap and input channel;
 * - gatherAdd: one input pixel of the input gradient, over every output pixel that read it;
 * - gemvAdd: one row of a dense product;
 * - filterTap: two input channels by 16 output channels of the filter gradient, over every pixel
 *   one tap touched.
 */

// ---------------------------------------------------------------------------------------------
// Building blocks

/** out[0:n] = 0. */
function zero(out: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.splat(0));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), 0);
}

/** out[0:n] = bias[0:n]. */
function copy(out: usize, from: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), v128.load(from + (<usize>i << 2)));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(from + (<usize>i << 2)));
}

/** out[0:n] = max(out, 0). */
function reluInPlace(out: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const p = out + (<usize>i << 2);
    v128.store(p, f32x4.max(v128.load(p), z));
  }
  for (; i < n; i++) {
    const p = out + (<usize>i << 2);
    const v = load<f32>(p);
    store<f32>(p, v > 0 ? v : 0);
  }
}

/**
 * out[0:n] += sum over k < kCount of src[k] * w[k*n + 0:n]: one pixel (kCount channels) times one
 * filter tap, or one row times a weight matrix; `srcStep` is the distance in bytes between src's
 * values (4: contiguous; a matrix row's width: a column). Output channels go in blocks of 16 (four SIMD
 * accumulators), then 4, then one at a time.
 */
function gemvAdd(src: usize, kCount: i32, w: usize, n: i32, out: usize, srcStep: usize = 4): void {
  const rowBytes = <usize>n << 2;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    let wp = w + (<usize>j << 2);
    for (let k = 0; k < kCount; k++) {
      const s = f32x4.splat(load<f32>(src + <usize>k * srcStep));
      a0 = f32x4.add(a0, f32x4.mul(s, v128.load(wp)));
      a1 = f32x4.add(a1, f32x4.mul(s, v128.load(wp, 16)));
      a2 = f32x4.add(a2, f32x4.mul(s, v128.load(wp, 32)));
      a3 = f32x4.add(a3, f32x4.mul(s, v128.load(wp, 48)));
      wp += rowBytes;
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
    v128.store(op, f32x4.add(v128.load(op, 16), a1), 16);
    v128.store(op, f32x4.add(v128.load(op, 32), a2), 32);
    v128.store(op, f32x4.add(v128.load(op, 48), a3), 48);
  }
  for (; j + 4 <= n; j += 4) {
    let a0 = f32x4.splat(0);
    let wp = w + (<usize>j << 2);
    for (let k = 0; k < kCount; k++) {
      a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(src + <usize>k * srcStep)), v128.load(wp)));
      wp += rowBytes;
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
  }
  for (; j < n; j++) {
    let acc: f32 = 0;
    let wp = w + (<usize>j << 2);
    for (let k = 0; k < kCount; k++) {
      acc += load<f32>(src + <usize>k * srcStep) * load<f32>(wp);
      wp += rowBytes;
    }
    const op = out + (<usize>j << 2);
    store<f32>(op, load<f32>(op) + acc);
  }
}

/** First output index o >= 0 with o*s + a - pad >= 0 (a tap's first valid output row). */
function firstValid(a: i32, s: i32, pad: i32): i32 {
  const need = pad - a;
  return need <= 0 ? 0 : (need + s - 1) / s;
}

/** One past the last output index o < outSize with o*s + a - pad < inSize. */
function endValid(a: i32, s: i32, pad: i32, inSize: i32, outSize: i32): i32 {
  const last = inSize - 1 + pad - a;
  if (last < 0) return 0;
  const end = last / s + 1;
  return end < outSize ? end : outSize;
}

// ---------------------------------------------------------------------------------------------
// Layout helpers

/**
 * to[j, i] = from[i, j] for an [rows, cols] matrix, repeated over `count` matrices laid end to
 * end. Used to turn a filter [taps, inC, outC] into [taps, outC, inC] for the input gradient and
 * to drop a dense product's transpose flags.
 */
export function transposeBatched(from: usize, to: usize, count: i32, rows: i32, cols: i32): void {
  const size = <usize>(rows * cols) << 2;
  for (let m = 0; m < count; m++) {
    const f = from + <usize>m * size;
    const t = to + <usize>m * size;
    for (let i = 0; i < rows; i++) {
      for (let j = 0; j < cols; j++) {
        store<f32>(t + (<usize>(j * rows + i) << 2), load<f32>(f + (<usize>(i * cols + j) << 2)));
      }
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Convolution

/**
 * Direct convolution: out[n, oy, ox, o] = act(bias[o] + sum over taps (a, b) and channels c of
 * x[n, oy*sH + a - padT, ox*sW + b - padL, c] * w[a, b, c, o]); taps outside x read zero.
 * `hasBias` 0/1; `relu` 0/1.
 */
export function conv2d(
  x: usize, w: usize, bias: usize, out: usize, hasBias: i32, relu: i32,
  batch: i32, inH: i32, inW: i32, inC: i32, kH: i32, kW: i32, outC: i32,
  sH: i32, sW: i32, padT: i32, padL: i32, outH: i32, outW: i32,
): void {
  let op = out;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = oy * sH - padT;
      const aLo = y0 < 0 ? -y0 : 0;
      const aHi = inH - y0 < kH ? inH - y0 : kH;
      for (let ox = 0; ox < outW; ox++) {
        const x0 = ox * sW - padL;
        const bLo = x0 < 0 ? -x0 : 0;
        const bHi = inW - x0 < kW ? inW - x0 : kW;
        if (hasBias) copy(op, bias, outC);
        else zero(op, outC);
        const corner = x + (<usize>((((n * inH + y0) * inW) + x0) * inC) << 2);
        windowAdd(corner, inW * inC, inC, w, kW, outC, aLo, aHi, bLo, bHi, op);
        if (relu) reluInPlace(op, outC);
        op += <usize>outC << 2;
      }
    }
  }
}

/**
 * out[0:n] += sum over taps (a, b) in [aLo, aHi) x [bLo, bHi) and over channels k < kCount of
 * src[a*rowStride + b*kCount + k] * w[(a*kW + b)*kCount*n + k*n + 0:n], with the accumulators of
 * each block of 16 (then 4, then 1) output channels held in registers across every tap and
 * channel. `corner` is where tap (0, 0) would read (it may lie outside the tensor, in the padding:
 * only the taps in range are read; the address arithmetic wraps like the i32 it is).
 */
function windowAdd(
  corner: usize, rowStride: i32, kCount: i32, w: usize, kW: i32, n: i32,
  aLo: i32, aHi: i32, bLo: i32, bHi: i32, out: usize,
): void {
  const wRow = <usize>n << 2;
  const tapW = kCount * n;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let a = aLo; a < aHi; a++) {
      for (let b = bLo; b < bHi; b++) {
        const src = corner + (<isize>(a * rowStride + b * kCount) << 2);
        let wp = w + (<usize>((a * kW + b) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          const s = f32x4.splat(load<f32>(src + (<usize>k << 2)));
          a0 = f32x4.add(a0, f32x4.mul(s, v128.load(wp)));
          a1 = f32x4.add(a1, f32x4.mul(s, v128.load(wp, 16)));
          a2 = f32x4.add(a2, f32x4.mul(s, v128.load(wp, 32)));
          a3 = f32x4.add(a3, f32x4.mul(s, v128.load(wp, 48)));
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
    v128.store(op, f32x4.add(v128.load(op, 16), a1), 16);
    v128.store(op, f32x4.add(v128.load(op, 32), a2), 32);
    v128.store(op, f32x4.add(v128.load(op, 48), a3), 48);
  }
  for (; j + 4 <= n; j += 4) {
    let a0 = f32x4.splat(0);
    for (let a = aLo; a < aHi; a++) {
      for (let b = bLo; b < bHi; b++) {
        const src = corner + (<isize>(a * rowStride + b * kCount) << 2);
        let wp = w + (<usize>((a * kW + b) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(src + (<usize>k << 2))), v128.load(wp)));
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
  }
  for (; j < n; j++) {
    let acc: f32 = 0;
    for (let a = aLo; a < aHi; a++) {
      for (let b = bLo; b < bHi; b++) {
        const src = corner + (<isize>(a * rowStride + b * kCount) << 2);
        let wp = w + (<usize>((a * kW + b) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          acc += load<f32>(src + (<usize>k << 2)) * load<f32>(wp);
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    store<f32>(op, load<f32>(op) + acc);
  }
}

/**
 * Input gradient of conv2d: dx[n, iy, ix, c] = sum over (oy, a) with oy*sH + a - padT = iy (and
 * the same across the width) and over o of dy[n, oy, ox, o] * wT[a, b, o, c], where wT is the
 * filter with its channel axes swapped (transposeBatched). Gathered per input pixel, so every
 * output value is written once: the rows oy that reach iy are those with 0 <= iy + padT - oy*sH < kH,
 * a contiguous range, each through tap a = iy + padT - oy*sH.
 */
export function conv2dBackpropInput(
  dy: usize, wT: usize, dx: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, kH: i32, kW: i32, outC: i32,
  sH: i32, sW: i32, padT: i32, padL: i32, outH: i32, outW: i32,
): void {
  let op = dx;
  for (let n = 0; n < batch; n++) {
    for (let iy = 0; iy < inH; iy++) {
      const ty = iy + padT;
      const oyHi = min<i32>(ty / sH, outH - 1);
      const oyLo = ty - kH + 1 <= 0 ? 0 : (ty - kH + 1 + sH - 1) / sH;
      for (let ix = 0; ix < inW; ix++) {
        zero(op, inC);
        const tx = ix + padL;
        const oxHi = min<i32>(tx / sW, outW - 1);
        const oxLo = tx - kW + 1 <= 0 ? 0 : (tx - kW + 1 + sW - 1) / sW;
        if (oyLo <= oyHi && oxLo <= oxHi) {
          gatherAdd(dy + (<usize>(n * outH * outW * outC) << 2), outW * outC, outC, wT, kW, inC,
            oyLo, oyHi, oxLo, oxHi, ty, tx, sH, sW, op);
        }
        op += <usize>inC << 2;
      }
    }
  }
}

/**
 * out[0:n] += sum over dy rows oy in [oyLo, oyHi], columns ox in [oxLo, oxHi] and channels k of
 * src[oy*rowStride + ox*kCount + k] * wT[(ty - oy*sH) * kW + (tx - ox*sW), k, 0:n]: the input
 * gradient's gather, accumulators in registers as in windowAdd.
 */
function gatherAdd(
  src0: usize, rowStride: i32, kCount: i32, wT: usize, kW: i32, n: i32,
  oyLo: i32, oyHi: i32, oxLo: i32, oxHi: i32, ty: i32, tx: i32, sH: i32, sW: i32, out: usize,
): void {
  const wRow = <usize>n << 2;
  const tapW = kCount * n;
  let j = 0;
  for (; j + 16 <= n; j += 16) {
    let a0 = f32x4.splat(0), a1 = f32x4.splat(0), a2 = f32x4.splat(0), a3 = f32x4.splat(0);
    for (let oy = oyLo; oy <= oyHi; oy++) {
      const a = ty - oy * sH;
      for (let ox = oxLo; ox <= oxHi; ox++) {
        const src = src0 + (<usize>(oy * rowStride + ox * kCount) << 2);
        let wp = wT + (<usize>((a * kW + tx - ox * sW) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          const s = f32x4.splat(load<f32>(src + (<usize>k << 2)));
          a0 = f32x4.add(a0, f32x4.mul(s, v128.load(wp)));
          a1 = f32x4.add(a1, f32x4.mul(s, v128.load(wp, 16)));
          a2 = f32x4.add(a2, f32x4.mul(s, v128.load(wp, 32)));
          a3 = f32x4.add(a3, f32x4.mul(s, v128.load(wp, 48)));
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
    v128.store(op, f32x4.add(v128.load(op, 16), a1), 16);
    v128.store(op, f32x4.add(v128.load(op, 32), a2), 32);
    v128.store(op, f32x4.add(v128.load(op, 48), a3), 48);
  }
  for (; j + 4 <= n; j += 4) {
    let a0 = f32x4.splat(0);
    for (let oy = oyLo; oy <= oyHi; oy++) {
      const a = ty - oy * sH;
      for (let ox = oxLo; ox <= oxHi; ox++) {
        const src = src0 + (<usize>(oy * rowStride + ox * kCount) << 2);
        let wp = wT + (<usize>((a * kW + tx - ox * sW) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          a0 = f32x4.add(a0, f32x4.mul(f32x4.splat(load<f32>(src + (<usize>k << 2))), v128.load(wp)));
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    v128.store(op, f32x4.add(v128.load(op), a0));
  }
  for (; j < n; j++) {
    let acc: f32 = 0;
    for (let oy = oyLo; oy <= oyHi; oy++) {
      const a = ty - oy * sH;
      for (let ox = oxLo; ox <= oxHi; ox++) {
        const src = src0 + (<usize>(oy * rowStride + ox * kCount) << 2);
        let wp = wT + (<usize>((a * kW + tx - ox * sW) * tapW + j) << 2);
        for (let k = 0; k < kCount; k++) {
          acc += load<f32>(src + (<usize>k << 2)) * load<f32>(wp);
          wp += wRow;
        }
      }
    }
    const op = out + (<usize>j << 2);
    store<f32>(op, load<f32>(op) + acc);
  }
}

/**
 * Filter gradient of conv2d: dw[a, b, c, o] = sum over n, oy, ox of
 * x[n, oy*sH + a - padT, ox*sW + b - padL, c] * dy[n, oy, ox, o]. For each tap, pairs of input
 * channels and blocks of 16 output channels keep eight accumulators in registers over the whole
 * pixel loop (the pixels the tap reads inside x, worked out once per tap); other channel counts
 * take narrower blocks.
 */
export function conv2dBackpropFilter(
  x: usize, dy: usize, dw: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, kH: i32, kW: i32, outC: i32,
  sH: i32, sW: i32, padT: i32, padL: i32, outH: i32, outW: i32,
): void {
  for (let a = 0; a < kH; a++) {
    const yLo = firstValid(a, sH, padT);
    const yHi = endValid(a, sH, padT, inH, outH);
    for (let b = 0; b < kW; b++) {
      const xLo = firstValid(b, sW, padL);
      const xHi = endValid(b, sW, padL, inW, outW);
      const tap = dw + (<usize>((a * kW + b) * inC * outC) << 2);
      filterTap(x, dy, tap, batch, inH, inW, inC, outC, sH, sW, a - padT, b - padL, outH, outW, yLo, yHi, xLo, xHi);
    }
  }
}

/** One tap of the filter gradient: tap[c, o] = sum over the valid pixels of x[.., c] * dy[.., o]. */
function filterTap(
  x: usize, dy: usize, tap: usize,
  batch: i32, inH: i32, inW: i32, inC: i32, outC: i32,
  sH: i32, sW: i32, dyOff: i32, dxOff: i32, outH: i32, outW: i32,
  yLo: i32, yHi: i32, xLo: i32, xHi: i32,
): void {
  const xStep = <usize>(sW * inC) << 2;
  const dyStep = <usize>outC << 2;
  let c = 0;
  for (; c < inC; c += 2) {
    const pair = c + 1 < inC;
    let o = 0;
    for (; o + 16 <= outC; o += 16) {
      let p0 = f32x4.splat(0), p1 = f32x4.splat(0), p2 = f32x4.splat(0), p3 = f32x4.splat(0);
      let q0 = f32x4.splat(0), q1 = f32x4.splat(0), q2 = f32x4.splat(0), q3 = f32x4.splat(0);
      for (let n = 0; n < batch; n++) {
        for (let oy = yLo; oy < yHi; oy++) {
          let xp = x + (<usize>((((n * inH + oy * sH + dyOff) * inW) + xLo * sW + dxOff) * inC + c) << 2);
          let dp = dy + (<usize>(((n * outH + oy) * outW + xLo) * outC + o) << 2);
          for (let ox = xLo; ox < xHi; ox++) {
            const d0 = v128.load(dp), d1 = v128.load(dp, 16), d2 = v128.load(dp, 32), d3 = v128.load(dp, 48);
            const s = f32x4.splat(load<f32>(xp));
            p0 = f32x4.add(p0, f32x4.mul(s, d0));
            p1 = f32x4.add(p1, f32x4.mul(s, d1));
            p2 = f32x4.add(p2, f32x4.mul(s, d2));
            p3 = f32x4.add(p3, f32x4.mul(s, d3));
            const t = f32x4.splat(pair ? load<f32>(xp, 4) : 0);
            q0 = f32x4.add(q0, f32x4.mul(t, d0));
            q1 = f32x4.add(q1, f32x4.mul(t, d1));
            q2 = f32x4.add(q2, f32x4.mul(t, d2));
            q3 = f32x4.add(q3, f32x4.mul(t, d3));
            xp += xStep;
            dp += dyStep;
          }
        }
      }
      const tp = tap + (<usize>(c * outC + o) << 2);
      v128.store(tp, p0); v128.store(tp, p1, 16); v128.store(tp, p2, 32); v128.store(tp, p3, 48);
      if (pair) {
        const tq = tp + (<usize>outC << 2);
        v128.store(tq, q0); v128.store(tq, q1, 16); v128.store(tq, q2, 32); v128.store(tq, q3, 48);
      }
    }
    for (; o < outC; o += 4) {
      const wide = o + 4 <= outC;
      let p0 = f32x4.splat(0), q0 = f32x4.splat(0);
      for (let n = 0; n < batch; n++) {
        for (let oy = yLo; oy < yHi; oy++) {
          let xp = x + (<usize>((((n * inH + oy * sH + dyOff) * inW) + xLo * sW + dxOff) * inC + c) << 2);
          let dp = dy + (<usize>(((n * outH + oy) * outW + xLo) * outC + o) << 2);
          for (let ox = xLo; ox < xHi; ox++) {
            const d0 = wide ? v128.load(dp) : partialLoad(dp, outC - o);
            p0 = f32x4.add(p0, f32x4.mul(f32x4.splat(load<f32>(xp)), d0));
            q0 = f32x4.add(q0, f32x4.mul(f32x4.splat(pair ? load<f32>(xp, 4) : 0), d0));
            xp += xStep;
            dp += dyStep;
          }
        }
      }
      const tp = tap + (<usize>(c * outC + o) << 2);
      partialStore(tp, p0, wide ? 4 : outC - o);
      if (pair) partialStore(tp + (<usize>outC << 2), q0, wide ? 4 : outC - o);
    }
  }
}

/** The first `count` (< 4) floats at p in a vector, zeros after: never reads past them. */
function partialLoad(p: usize, count: i32): v128 {
  let v = f32x4.splat(0);
  v = f32x4.replace_lane(v, 0, load<f32>(p));
  if (count > 1) v = f32x4.replace_lane(v, 1, load<f32>(p, 4));
  if (count > 2) v = f32x4.replace_lane(v, 2, load<f32>(p, 8));
  return v;
}

/** Stores the first `count` (<= 4) lanes of v at p. */
function partialStore(p: usize, v: v128, count: i32): void {
  if (count >= 4) {
    v128.store(p, v);
    return;
  }
  store<f32>(p, f32x4.extract_lane(v, 0));
  if (count > 1) store<f32>(p, f32x4.extract_lane(v, 1), 4);
  if (count > 2) store<f32>(p, f32x4.extract_lane(v, 2), 8);
}

// ---------------------------------------------------------------------------------------------
// Dense

/**
 * out[i, 0:n] = act(bias[0:n] + sum_k a[i, k] * b[k, 0:n]) for an [m, k] by [k, n] product (no
 * transposes: the JavaScript side transposes a flagged operand first with transposeBatched).
 */
export function matMul(a: usize, b: usize, bias: usize, out: usize, hasBias: i32, relu: i32, m: i32, k: i32, n: i32): void {
  const aRow = <usize>k << 2;
  const outRow = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const op = out + <usize>i * outRow;
    if (hasBias) copy(op, bias, n);
    else zero(op, n);
    gemvAdd(a + <usize>i * aRow, k, b, n, op);
    if (relu) reluInPlace(op, n);
  }
}

/**
 * out[i, 0:n] = sum over r of a[r, i] * b[r, 0:n]: aᵀ·b for a [rows, m] and b [rows, n], a dense
 * layer's weight gradient (inputᵀ · output gradient), with no transposed copy of a.
 */
export function matMulTN(a: usize, b: usize, out: usize, rows: i32, m: i32, n: i32): void {
  const outRow = <usize>n << 2;
  for (let i = 0; i < m; i++) {
    const op = out + <usize>i * outRow;
    zero(op, n);
    gemvAdd(a + (<usize>i << 2), rows, b, n, op, <usize>m << 2);
  }
}

// ---------------------------------------------------------------------------------------------
// Training step: the elementwise pieces and the optimisers of the tape-free step (../../engine)

/** out[0:n] = max(x, 0); out may be x. */
export function relu(x: usize, out: usize, n: i32): void {
  if (out != x) copy(out, x, n);
  reluInPlace(out, n);
}

/** dx[0:n] = y > 0 ? dy : 0, with y a ReLU's output (or input: the test is the same); dx may be dy. */
export function reluGrad(dy: usize, y: usize, dx: usize, n: i32): void {
  const z = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(dx + o, v128.and(v128.load(dy + o), f32x4.gt(v128.load(y + o), z)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(dx + o, load<f32>(y + o) > 0 ? load<f32>(dy + o) : 0);
  }
}

/** out[0:n] += x[0:n]. */
export function addInPlace(out: usize, x: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(out + o), v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(out + o) + load<f32>(x + o));
  }
}

/** db[0:cols] = sum over rows r of dy[r, 0:cols]: a bias's gradient (rows = examples x pixels). */
export function biasGrad(dy: usize, db: usize, rows: i32, cols: i32): void {
  zero(db, cols);
  const rowBytes = <usize>cols << 2;
  for (let r = 0; r < rows; r++) addInPlace(db, dy + <usize>r * rowBytes, cols);
}

/**
 * One Adam step over n values, as tfjs computes it: m = β1·m + (1-β1)·g, v = β2·v + (1-β2)·g²,
 * p = p - lr · (m / c1) / (sqrt(v / c2) + ε), where c1 = 1 - β1^t and c2 = 1 - β2^t for step t.
 */
export function adam(p: usize, g: usize, m: usize, v: usize, n: i32, lr: f32, beta1: f32, beta2: f32, epsilon: f32, c1: f32, c2: f32): void {
  const b1 = f32x4.splat(beta1), b2 = f32x4.splat(beta2);
  const d1 = f32x4.splat(1 - beta1), d2 = f32x4.splat(1 - beta2);
  const k1 = f32x4.splat(c1), k2 = f32x4.splat(c2), eps = f32x4.splat(epsilon), rate = f32x4.splat(-lr);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(v128.load(m + o), b1), f32x4.mul(gi, d1));
    const vi = f32x4.add(f32x4.mul(v128.load(v + o), b2), f32x4.mul(f32x4.mul(gi, gi), d2));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const step = f32x4.div(f32x4.div(mi, k1), f32x4.add(f32x4.sqrt(f32x4.div(vi, k2)), eps));
    v128.store(p + o, f32x4.add(f32x4.mul(step, rate), v128.load(p + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    const gi = load<f32>(g + o);
    const mi = load<f32>(m + o) * beta1 + gi * (1 - beta1);
    const vi = load<f32>(v + o) * beta2 + gi * gi * (1 - beta2);
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, (mi / c1 / (Mathf.sqrt(vi / c2) + epsilon)) * -lr + load<f32>(p + o));
  }
}

/**
 * One SGD step over n values, as tfjs computes it: p = p - lr·g, or with momentum μ > 0,
 * acc = μ·acc + g and p = p - lr·acc.
 */
export function sgd(p: usize, g: usize, acc: usize, n: i32, lr: f32, momentum: f32): void {
  const rate = f32x4.splat(-lr), mu = f32x4.splat(momentum);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    let d = v128.load(g + o);
    if (momentum != 0) {
      d = f32x4.add(f32x4.mul(mu, v128.load(acc + o)), d);
      v128.store(acc + o, d);
    }
    v128.store(p + o, f32x4.add(f32x4.mul(rate, d), v128.load(p + o)));
  }
  for (; i < n; i++) {
    const o = <usize>i << 2;
    let d = load<f32>(g + o);
    if (momentum != 0) {
      d = momentum * load<f32>(acc + o) + d;
      store<f32>(acc + o, d);
    }
    store<f32>(p + o, -lr * d + load<f32>(p + o));
  }
}

/** out[0:n] = x[0:n]. */
export function copyTo(x: usize, out: usize, n: i32): void {
  copy(out, x, n);
}

/** out[0:n] = 0. */
export function zeroFill(out: usize, n: i32): void {
  zero(out, n);
}

// ---------------------------------------------------------------------------------------------
// Batch normalisation over the last axis (rows = examples x pixels, c channels), training mode

/**
 * Batch statistics and the normalised output: mean[j] and variance[j] (biased, two passes, as
 * tf.moments) over the rows, invStd = 1 / sqrt(variance + ε), xHat = (x - mean)·invStd, and
 * y = xHat·gamma + beta. Each of mean, variance and invStd holds c floats.
 */
export function batchNormForward(
  x: usize, gamma: usize, beta: usize, y: usize, xHat: usize, mean: usize, variance: usize, invStd: usize,
  rows: i32, c: i32, epsilon: f32,
): void {
  const rowBytes = <usize>c << 2;
  biasGrad(x, mean, rows, c);
  const inv: f32 = 1 / <f32>rows;
  for (let j = 0; j < c; j++) store<f32>(mean + (<usize>j << 2), load<f32>(mean + (<usize>j << 2)) * inv);
  zero(variance, c);
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    for (let j = 0; j < c; j++) {
      const d = load<f32>(xr + (<usize>j << 2)) - load<f32>(mean + (<usize>j << 2));
      store<f32>(variance + (<usize>j << 2), load<f32>(variance + (<usize>j << 2)) + d * d);
    }
  }
  for (let j = 0; j < c; j++) {
    const v = load<f32>(variance + (<usize>j << 2)) * inv;
    store<f32>(variance + (<usize>j << 2), v);
    store<f32>(invStd + (<usize>j << 2), 1 / Mathf.sqrt(v + epsilon));
  }
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const q = <usize>j << 2;
      const h = f32x4.mul(f32x4.sub(v128.load(x + o + q), v128.load(mean + q)), v128.load(invStd + q));
      v128.store(xHat + o + q, h);
      v128.store(y + o + q, f32x4.add(f32x4.mul(h, v128.load(gamma + q)), v128.load(beta + q)));
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      const h = (load<f32>(x + o + q) - load<f32>(mean + q)) * load<f32>(invStd + q);
      store<f32>(xHat + o + q, h);
      store<f32>(y + o + q, h * load<f32>(gamma + q) + load<f32>(beta + q));
    }
  }
}

/**
 * Moving statistics after a batch, as PyTorch keeps them: moving = moving·m + batch·scale·(1 - m)
 * over c values (scale n/(n-1) makes the variance unbiased; 1 for the mean).
 */
export function movingAverage(moving: usize, batch: usize, c: i32, momentum: f32, scale: f32): void {
  for (let j = 0; j < c; j++) {
    const q = <usize>j << 2;
    store<f32>(moving + q, load<f32>(moving + q) * momentum + load<f32>(batch + q) * scale * (1 - momentum));
  }
}

/**
 * Gradients of batch norm in training mode: dBeta = Σ dy, dGamma = Σ dy·xHat over the rows, and
 * dx = gamma·invStd / rows · (rows·dy - dBeta - xHat·dGamma).
 */
export function batchNormBackward(
  dy: usize, xHat: usize, gamma: usize, invStd: usize, dx: usize, dGamma: usize, dBeta: usize, rows: i32, c: i32,
): void {
  const rowBytes = <usize>c << 2;
  biasGrad(dy, dBeta, rows, c);
  zero(dGamma, c);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const q = <usize>j << 2;
      v128.store(dGamma + q, f32x4.add(v128.load(dGamma + q), f32x4.mul(v128.load(dy + o + q), v128.load(xHat + o + q))));
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      store<f32>(dGamma + q, load<f32>(dGamma + q) + load<f32>(dy + o + q) * load<f32>(xHat + o + q));
    }
  }
  const n = <f32>rows;
  const nv = f32x4.splat(n);
  for (let r = 0; r < rows; r++) {
    const o = <usize>r * rowBytes;
    let j = 0;
    for (; j + 4 <= c; j += 4) {
      const q = <usize>j << 2;
      const inner = f32x4.sub(f32x4.sub(f32x4.mul(v128.load(dy + o + q), nv), v128.load(dBeta + q)), f32x4.mul(v128.load(xHat + o + q), v128.load(dGamma + q)));
      const scale = f32x4.div(f32x4.mul(v128.load(gamma + q), v128.load(invStd + q)), nv);
      v128.store(dx + o + q, f32x4.mul(inner, scale));
    }
    for (; j < c; j++) {
      const q = <usize>j << 2;
      const inner = load<f32>(dy + o + q) * n - load<f32>(dBeta + q) - load<f32>(xHat + o + q) * load<f32>(dGamma + q);
      store<f32>(dx + o + q, inner * ((load<f32>(gamma + q) * load<f32>(invStd + q)) / n));
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Pooling (NHWC)

/**
 * Average pooling, k x k windows with stride s and the given top/left padding; a window's average
 * is over its cells inside the image (padding left out, as tfjs's 'same' pooling).
 */
export function avgPool(
  x: usize, out: usize, batch: i32, inH: i32, inW: i32, c: i32, k: i32, s: i32, padT: i32, padL: i32, outH: i32, outW: i32,
): void {
  let op = out;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = max<i32>(oy * s - padT, 0), y1 = min<i32>(oy * s - padT + k, inH);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = max<i32>(ox * s - padL, 0), x1 = min<i32>(ox * s - padL + k, inW);
        zero(op, c);
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) addInPlace(op, x + (<usize>(((n * inH + iy) * inW + ix) * c) << 2), c);
        }
        scaleInPlace(op, c, 1 / <f32>((y1 - y0) * (x1 - x0)));
        op += <usize>c << 2;
      }
    }
  }
}

/** The gradient of avgPool: each output's gradient, divided by its window's count, added to the window's cells. */
export function avgPoolGrad(
  dy: usize, dx: usize, batch: i32, inH: i32, inW: i32, c: i32, k: i32, s: i32, padT: i32, padL: i32, outH: i32, outW: i32,
): void {
  zero(dx, batch * inH * inW * c);
  let dp = dy;
  for (let n = 0; n < batch; n++) {
    for (let oy = 0; oy < outH; oy++) {
      const y0 = max<i32>(oy * s - padT, 0), y1 = min<i32>(oy * s - padT + k, inH);
      for (let ox = 0; ox < outW; ox++) {
        const x0 = max<i32>(ox * s - padL, 0), x1 = min<i32>(ox * s - padL + k, inW);
        const w = f32x4.splat(1 / <f32>((y1 - y0) * (x1 - x0)));
        for (let iy = y0; iy < y1; iy++) {
          for (let ix = x0; ix < x1; ix++) addScaled(dx + (<usize>(((n * inH + iy) * inW + ix) * c) << 2), dp, c, w);
        }
        dp += <usize>c << 2;
      }
    }
  }
}

/** out[n, 0:c] = mean over the hw pixels of x[n, pixel, 0:c]. */
export function globalAvgPool(x: usize, out: usize, batch: i32, hw: i32, c: i32): void {
  for (let n = 0; n < batch; n++) {
    const op = out + (<usize>(n * c) << 2);
    biasGrad(x + (<usize>(n * hw * c) << 2), op, hw, c);
    scaleInPlace(op, c, 1 / <f32>hw);
  }
}

/** dx[n, pixel, 0:c] = dy[n, 0:c] / hw. */
export function globalAvgPoolGrad(dy: usize, dx: usize, batch: i32, hw: i32, c: i32): void {
  const w = f32x4.splat(1 / <f32>hw);
  for (let n = 0; n < batch; n++) {
    const dp = dy + (<usize>(n * c) << 2);
    for (let p = 0; p < hw; p++) {
      const xp = dx + (<usize>((n * hw + p) * c) << 2);
      zero(xp, c);
      addScaled(xp, dp, c, w);
    }
  }
}

/** out[0:n] *= f. */
function scaleInPlace(out: usize, n: i32, f: f32): void {
  const v = f32x4.splat(f);
  let i = 0;
  for (; i + 4 <= n; i += 4) v128.store(out + (<usize>i << 2), f32x4.mul(v128.load(out + (<usize>i << 2)), v));
  for (; i < n; i++) store<f32>(out + (<usize>i << 2), load<f32>(out + (<usize>i << 2)) * f);
}

/** out[0:n] += x[0:n]·w (w splatted). */
function addScaled(out: usize, x: usize, n: i32, w: v128): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = <usize>i << 2;
    v128.store(out + o, f32x4.add(v128.load(out + o), f32x4.mul(v128.load(x + o), w)));
  }
  const s = f32x4.extract_lane(w, 0);
  for (; i < n; i++) {
    const o = <usize>i << 2;
    store<f32>(out + o, load<f32>(out + o) + load<f32>(x + o) * s);
  }
}
