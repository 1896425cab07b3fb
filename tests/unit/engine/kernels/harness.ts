/** Inputs and error measures the kernel tests share: seeded values, weights of each kind, error vs a reference. */
import { expect } from "vitest";
import { attentionRef } from "@/lib/engine/kernels/attention";
import type { BackendName, Linear, WeightKind } from "@/lib/engine/kernels/backend/types";
import type { KvCache } from "@/lib/engine/kernels/kv-cache";
import { linearFromF32 } from "@/lib/engine/models/linear";
import { f32ToF16Bits } from "@/lib/engine/tensor/dtype";

/** The WASM backends the harness checks against the TypeScript reference: relaxed SIMD and the plain-SIMD fallback. */
export const WASM_BACKENDS: readonly Extract<BackendName, `wasm-${string}`>[] = ["wasm-relaxed", "wasm-plain"];

/** Uniform values in [-1, 1): cheap enough for the 49152 x 576 head. */
export function uniform(rand: () => number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = 2 * rand() - 1;
  return out;
}

/**
 * f16 weights (rows, cols) of magnitude 2^-6..2 drawn as bits directly: converting
 * the 28M floats of a vocab-sized head one by one took most of a minute.
 */
export function randomF16(rand: () => number, rows: number, cols: number): Linear {
  const bits = new Uint16Array(rows * cols);
  for (let i = 0; i < bits.length; i++) {
    const r = (rand() * 2 ** 21) >>> 0; // sign (1 bit), exponent 9..15 (3 bits, clamped), mantissa (10 bits)
    bits[i] = ((r & 1) << 15) | (Math.min(9 + ((r >>> 1) & 7), 15) << 10) | ((r >>> 4) & 0x3ff);
  }
  return { kind: "f16", rows, cols, bits };
}

/** Max |ref - got| and the error's energy relative to ref's; ref must not be trivially small. */
export function errors(ref: Float32Array, got: Float32Array): { maxErr: number; nmse: number } {
  expect(Math.max(...ref.map(Math.abs))).toBeGreaterThan(1); // not trivially zero
  let maxErr = 0, se = 0, ss = 0;
  for (let i = 0; i < ref.length; i++) {
    const e = ref[i] - got[i];
    maxErr = Math.max(maxErr, Math.abs(e));
    se += e * e;
    ss += ref[i] * ref[i];
  }
  return { maxErr, nmse: se / ss };
}

/**
 * A (rows, cols) matrix of kind `kind` from float32 values w (row-major). Each
 * call builds fresh arrays: a WASM backend takes the matrices it is given (their
 * arrays become views into its memory), so one matrix serves one backend.
 */
export function matrix(kind: WeightKind, w: Float32Array, rows: number, cols: number): Linear {
  if (kind === "f16") return { kind, rows, cols, bits: Uint16Array.from(w, f32ToF16Bits) };
  return linearFromF32(w.slice(), rows, cols, kind);
}

/** Random K, V (|k| < 2, |v| < 4) in every slot and layer; queries scaled by 8 give scores of std ~5, peaked as in trained models. */
export function randomCache(cache: KvCache, r: () => number): KvCache {
  cache.k.set(uniform(r, cache.k.length).map((x) => 2 * x));
  cache.v.set(uniform(r, cache.v.length).map((x) => 4 * x));
  return cache;
}

/** attentionRef for each row over positions start..pos of its slot in `layer`: out (B, nHeads*hd). */
export function attendRef(
  cache: KvCache, q: Float32Array, layer: number, slots: Int32Array, positions: Int32Array, B: number, window: number | null,
): Float32Array {
  const { nHeads, nKvHeads, headDim } = cache.heads;
  const qDim = nHeads * headDim;
  const out = new Float32Array(B * qDim);
  for (let b = 0; b < B; b++) {
    const start = window ? Math.max(0, positions[b] - window + 1) : 0;
    attentionRef(out, b * qDim, q, b * qDim, cache.k, cache.v, cache.offset(layer, slots[b]) + start * cache.kvDim,
      positions[b] + 1 - start, nHeads, nKvHeads, headDim, new Float32Array(cache.ctx));
  }
  return out;
}
