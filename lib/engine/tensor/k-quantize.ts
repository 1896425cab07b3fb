/**
 * Reference quantizers for Q4_K and Q6_K, bit-identical to ggml's
 * quantize_row_q4_K_ref / quantize_row_q6_K_ref (what llama-quantize runs
 * without an importance matrix). Layouts: see k-quants.ts.
 *
 * ggml computes in float32, one rounding per operation; every operation here
 * is wrapped in Math.fround in the same order so that the chosen scales, mins
 * and quants, and so the bytes, are the same. (A float64 result of one
 * +, -, *, / or sqrt on float32 inputs, rounded to float32, equals the float32
 * operation, so fround after each operation reproduces it exactly.)
 */
import { check } from "@/lib/engine/errors";
import { f16ToF32Table, f32ToF16Bits } from "./f16";
import { Q4_K_BYTES, Q6_K_BYTES, QK_K, scaleMinK4 } from "./k-quants";

const f = Math.fround;
/** ggml's GROUP_MAX_EPS: a group whose largest |x| is below this is all zeros. */
const GROUP_MAX_EPS = f(1e-15);

const bitsF32 = new Float32Array(1);
const bitsU32 = new Uint32Array(bitsF32.buffer);

/**
 * ggml's nearest_int: round to nearest, ties to even, by adding 1.5 * 2^23 in
 * float32 and reading the low 23 bits. Exact for |x| < 2^22; beyond that the
 * same bits ggml reads (it asserts in debug builds only).
 */
export function nearestInt(x: number): number {
  const v = f(x + 12582912);
  if (v >= 8388608 && v < 16777216) return v - 12582912;
  bitsF32[0] = v;
  return (bitsU32[0] & 0x7fffff) - 0x400000;
}

/** Scale and min chosen for one sub-block (x ≈ scale * L - min). */
interface ScaleMin {
  scale: number;
  min: number;
}

/**
 * ggml's make_qkx2_quants: L[i] in [0, nmax] and (scale, min) for x (n values)
 * minimising sum w * (scale*L + min' - x)^2 (|.| when useMad), min' <= 0: from
 * the plain fit, tries nstep+1 scales (nmax + rmin + rdelta*is) / (max - min'),
 * min' the best so far, solving least squares for (scale, min') at each. Writes L[0..n), returns
 * {scale, min: -min'} (min >= 0). Laux is scratch of n values.
 */
export function makeQkx2Quants(
  x: Float32Array, n: number, nmax: number, weights: Float32Array, L: Uint8Array, Laux: Uint8Array,
  rmin: number, rdelta: number, nstep: number, useMad: boolean,
): ScaleMin {
  let min = x[0];
  let max = x[0];
  let sumW = weights[0];
  let sumX = f(sumW * x[0]);
  for (let i = 1; i < n; i++) {
    if (x[i] < min) min = x[i];
    if (x[i] > max) max = x[i];
    sumW = f(sumW + weights[i]);
    sumX = f(sumX + f(weights[i] * x[i]));
  }
  if (min > 0) min = 0;
  if (max === min) {
    L.fill(0, 0, n);
    return { scale: 0, min: -min };
  }
  let iscale = f(nmax / f(max - min));
  let scale = f(1 / iscale);
  const err = (d: number, w: number) => f(w * (useMad ? Math.abs(d) : f(d * d)));
  let bestError = 0;
  for (let i = 0; i < n; i++) {
    L[i] = Math.max(0, Math.min(nmax, nearestInt(f(iscale * f(x[i] - min)))));
    bestError = f(bestError + err(f(f(f(scale * L[i]) + min) - x[i]), weights[i]));
  }
  if (nstep < 1) return { scale, min: -min };
  for (let is = 0; is <= nstep; is++) {
    // `min` is the best fit so far (ggml updates it in this loop), so the range moves with it
    iscale = f(f(f(rmin + f(rdelta * is)) + nmax) / f(max - min));
    let sumL = 0;
    let sumL2 = 0;
    let sumXL = 0;
    for (let i = 0; i < n; i++) {
      const l = Math.max(0, Math.min(nmax, nearestInt(f(iscale * f(x[i] - min)))));
      Laux[i] = l;
      const wl = f(weights[i] * l);
      sumL = f(sumL + wl);
      sumL2 = f(sumL2 + f(wl * l));
      sumXL = f(sumXL + f(wl * x[i]));
    }
    const D = f(f(sumW * sumL2) - f(sumL * sumL));
    if (!(D > 0)) continue;
    let thisScale = f(f(f(sumW * sumXL) - f(sumX * sumL)) / D);
    let thisMin = f(f(f(sumL2 * sumX) - f(sumL * sumXL)) / D);
    if (thisMin > 0) {
      thisMin = 0;
      thisScale = f(sumXL / sumL2);
    }
    let curError = 0;
    for (let i = 0; i < n; i++) curError = f(curError + err(f(f(f(thisScale * Laux[i]) + thisMin) - x[i]), weights[i]));
    if (curError < bestError) {
      L.set(Laux.subarray(0, n));
      bestError = curError;
      scale = thisScale;
      min = thisMin;
    }
  }
  return { scale, min: -min };
}

/** sum x^2 * x * l and sum x^2 * l^2 over x (n values) with l = clamp(nearestInt(iscale*x)); writes L = l + nmax when L is given. */
function qxSums(x: Float32Array, n: number, nmax: number, iscale: number, L: Int8Array | null): [number, number] {
  let sumlx = 0;
  let suml2 = 0;
  for (let i = 0; i < n; i++) {
    const l = Math.max(-nmax, Math.min(nmax - 1, nearestInt(f(iscale * x[i]))));
    if (L) L[i] = l + nmax;
    const w = f(x[i] * x[i]);
    sumlx = f(sumlx + f(f(w * x[i]) * l));
    suml2 = f(suml2 + f(f(w * l) * l));
  }
  return [sumlx, suml2];
}

/**
 * ggml's make_qx_quants with rmse_type 1 and no importance weights: symmetric
 * L[i] in [0, 2*nmax) (value L - nmax) and the scale minimising
 * sum x^2 (scale*(L-nmax) - x)^2 over 19 trial scales -(nmax + 0.1*is)/max.
 * Writes L[0..n), returns the scale (0 for an all-zero group).
 */
export function makeQxQuants(x: Float32Array, n: number, nmax: number, L: Int8Array): number {
  let max = 0;
  let amax = 0;
  for (let i = 0; i < n; i++) {
    const ax = Math.abs(x[i]);
    if (ax > amax) {
      amax = ax;
      max = x[i];
    }
  }
  if (amax < GROUP_MAX_EPS) {
    L.fill(0, 0, n);
    return 0;
  }
  let [sumlx, suml2] = qxSums(x, n, nmax, f(-nmax / max), L);
  let scale = suml2 ? f(sumlx / suml2) : 0;
  let best = f(scale * sumlx);
  for (let is = -9; is <= 9; is++) {
    if (is === 0) continue;
    const iscale = f(-f(nmax + f(f(0.1) * is)) / max);
    [sumlx, suml2] = qxSums(x, n, nmax, iscale, null);
    if (suml2 > 0 && f(sumlx * sumlx) > f(best * suml2)) {
      qxSums(x, n, nmax, iscale, L);
      scale = f(sumlx / suml2);
      best = f(scale * sumlx);
    }
  }
  return scale;
}

/**
 * Quantizes to Q4_K like quantize_row_q4_K_ref: per 32-value sub-block,
 * make_qkx2_quants with weights av_x + |x|; the 8 scales and mins are then
 * quantized to 6 bits against d = max scale / 63 and dmin = max min / 63, and
 * the values requantized against the rounded scales.
 * x (n), n a multiple of 256 -> (n/256) * 144 bytes.
 */
export function quantizeQ4_KRef(x: Float32Array): Uint8Array {
  check(x.length % QK_K === 0, `Q4_K needs a multiple of ${QK_K} values, got ${x.length}`);
  const out = new Uint8Array((x.length / QK_K) * Q4_K_BYTES);
  const t = f16ToF32Table();
  const L = new Uint8Array(QK_K);
  const Laux = new Uint8Array(32);
  const weights = new Float32Array(32);
  const scales = new Float32Array(8);
  const mins = new Float32Array(8);
  for (let b = 0; b < x.length / QK_K; b++) {
    const xb = x.subarray(b * QK_K, (b + 1) * QK_K);
    const o = b * Q4_K_BYTES;
    let maxScale = 0;
    let maxMin = 0;
    for (let j = 0; j < 8; j++) {
      const xs = xb.subarray(32 * j, 32 * j + 32);
      let sumX2 = 0;
      for (let l = 0; l < 32; l++) sumX2 = f(sumX2 + f(xs[l] * xs[l]));
      const avX = f(Math.sqrt(f(sumX2 / 32)));
      for (let l = 0; l < 32; l++) weights[l] = f(avX + Math.abs(xs[l]));
      const r = makeQkx2Quants(xs, 32, 15, weights, L.subarray(32 * j), Laux, -1, f(0.1), 20, false);
      scales[j] = r.scale;
      mins[j] = r.min;
      if (r.scale > maxScale) maxScale = r.scale;
      if (r.min > maxMin) maxMin = r.min;
    }
    const invScale = maxScale > 0 ? f(63 / maxScale) : 0;
    const invMin = maxMin > 0 ? f(63 / maxMin) : 0;
    for (let j = 0; j < 8; j++) {
      // uint8_t in ggml: the int wraps mod 256 before the clamp to 63
      const ls = Math.min(63, nearestInt(f(invScale * scales[j])) & 0xff);
      const lm = Math.min(63, nearestInt(f(invMin * mins[j])) & 0xff);
      packScaleMinK4(out, o + 4, j, ls, lm);
    }
    const dBits = f32ToF16Bits(f(maxScale / 63));
    const dminBits = f32ToF16Bits(f(maxMin / 63));
    out[o] = dBits & 0xff;
    out[o + 1] = dBits >> 8;
    out[o + 2] = dminBits & 0xff;
    out[o + 3] = dminBits >> 8;
    for (let j = 0; j < 8; j++) {
      const { sc, m } = scaleMinK4(out, o + 4, j);
      const d = f(t[dBits] * sc);
      if (!d) continue; // keeps make_qkx2_quants' L, as ggml does
      const dm = f(t[dminBits] * m);
      for (let i = 0; i < 32; i++) L[32 * j + i] = Math.max(0, Math.min(15, nearestInt(f(f(xb[32 * j + i] + dm) / d))));
    }
    for (let c = 0; c < 4; c++) {
      for (let l = 0; l < 32; l++) out[o + 16 + 32 * c + l] = L[64 * c + l] | (L[64 * c + 32 + l] << 4);
    }
  }
  return out;
}

/** Inverse of scaleMinK4: stores 6-bit scale `ls` and min `lm` of sub-block j in the 12 bytes at s[o]. */
function packScaleMinK4(s: Uint8Array, o: number, j: number, ls: number, lm: number): void {
  if (j < 4) {
    s[o + j] = ls;
    s[o + j + 4] = lm;
  } else {
    s[o + j + 4] = (ls & 0x0f) | ((lm & 0x0f) << 4);
    s[o + j - 4] |= (ls >> 4) << 6;
    s[o + j] |= (lm >> 4) << 6;
  }
}

/**
 * Quantizes to Q6_K like quantize_row_q6_K_ref: per 16-value sub-block,
 * make_qx_quants(nmax 32); the 16 scales become int8 against d = -max/128
 * (max = the scale of largest magnitude), then the values are requantized to
 * [-32, 31] against the rounded scales. x (n), n a multiple of 256 -> (n/256) * 210 bytes.
 */
export function quantizeQ6_KRef(x: Float32Array): Uint8Array {
  check(x.length % QK_K === 0, `Q6_K needs a multiple of ${QK_K} values, got ${x.length}`);
  const out = new Uint8Array((x.length / QK_K) * Q6_K_BYTES);
  const t = f16ToF32Table();
  const L = new Int8Array(QK_K);
  const scales = new Float32Array(16);
  for (let b = 0; b < x.length / QK_K; b++) {
    const xb = x.subarray(b * QK_K, (b + 1) * QK_K);
    const o = b * Q6_K_BYTES;
    let maxScale = 0;
    let maxAbsScale = 0;
    for (let ib = 0; ib < 16; ib++) {
      scales[ib] = makeQxQuants(xb.subarray(16 * ib, 16 * ib + 16), 16, 32, L.subarray(16 * ib));
      if (Math.abs(scales[ib]) > maxAbsScale) {
        maxAbsScale = Math.abs(scales[ib]);
        maxScale = scales[ib];
      }
    }
    if (maxAbsScale < GROUP_MAX_EPS) continue; // an all-zero block: every byte 0 (d = +0)
    const iscale = f(-128 / maxScale);
    const dBits = f32ToF16Bits(f(1 / iscale));
    out[o + 208] = dBits & 0xff;
    out[o + 209] = dBits >> 8;
    for (let ib = 0; ib < 16; ib++) out[o + 192 + ib] = Math.min(127, nearestInt(f(iscale * scales[ib]))) & 0xff;
    for (let j = 0; j < 16; j++) {
      const d = f(t[dBits] * ((out[o + 192 + j] << 24) >> 24));
      if (!d) continue;
      for (let i = 0; i < 16; i++) L[16 * j + i] = Math.max(-32, Math.min(31, nearestInt(f(xb[16 * j + i] / d)))) + 32;
    }
    packQ6_K(out, o, L);
  }
  return out;
}

/** Packs 256 6-bit quants L (0..63) into ql[128] and qh[64] of the block at out[o] (layout: k-quants.ts). */
function packQ6_K(out: Uint8Array, o: number, L: Int8Array): void {
  for (let h = 0; h < 2; h++) {
    const ql = o + 64 * h;
    const qh = o + 128 + 32 * h;
    const y = 128 * h;
    for (let l = 0; l < 32; l++) {
      const [q1, q2, q3, q4] = [L[y + l], L[y + l + 32], L[y + l + 64], L[y + l + 96]];
      out[ql + l] = (q1 & 0x0f) | ((q3 & 0x0f) << 4);
      out[ql + l + 32] = (q2 & 0x0f) | ((q4 & 0x0f) << 4);
      out[qh + l] = (q1 >> 4) | ((q2 >> 4) << 2) | ((q3 >> 4) << 4) | ((q4 >> 4) << 6);
    }
  }
}
