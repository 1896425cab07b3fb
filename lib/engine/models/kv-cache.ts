/**
 * KV cache: for each layer, `slots` sequences of `ctx` positions of kvDim
 * floats, in one Float32Array per K and V:
 *   k, v (nLayers, slots, ctx, kvDim),  kvDim = nKvHeads * headDim
 * With `wasmRows`, K and V live in WebAssembly memory (see WasmKv) and
 * attend() runs the SIMD kernel there; otherwise, or where WASM SIMD is
 * missing, they are plain arrays and attend() runs the TypeScript kernel.
 */
import { check } from "@/lib/engine/errors";
import { attention } from "@/lib/engine/kernels/attention";
import type { KvHeads } from "@/lib/engine/kernels/wasm/kv-memory";
import { WasmKv } from "@/lib/engine/kernels/wasm/kv-memory";

export type { KvHeads };

export class KvCache {
  readonly k: Float32Array;
  readonly v: Float32Array;
  readonly kvDim: number;
  /** Set when K and V live in WASM memory (null on the TypeScript path). */
  readonly wasm: WasmKv | null;
  // TypeScript-path scores of one head (ctx)
  private readonly att: Float32Array;

  /**
   * @param wasmRows the most rows one attend() call takes; > 0 asks for the WASM
   *   kernel (taken when available and the head size is a multiple of 16).
   */
  constructor(
    readonly nLayers: number,
    readonly slots: number,
    readonly ctx: number,
    readonly heads: KvHeads,
    wasmRows = 0,
  ) {
    const kvDim = (this.kvDim = heads.nKvHeads * heads.headDim);
    const n = nLayers * slots * ctx * kvDim;
    check(n < 2 ** 31, `KV cache of ${nLayers}x${slots}x${ctx}x${kvDim} floats is too large; use fewer sequences or a shorter context`);
    this.wasm = wasmRows > 0 ? WasmKv.create(n, heads, ctx, wasmRows) : null;
    this.k = this.wasm?.k ?? new Float32Array(n);
    this.v = this.wasm?.v ?? new Float32Array(n);
    this.att = new Float32Array(this.wasm ? 0 : ctx);
  }

  /** Offset of position 0 of `slot` in layer `layer`. */
  offset(layer: number, slot: number): number {
    return (layer * this.slots + slot) * this.ctx * this.kvDim;
  }

  /** Stores one position's k and v rows (read from k at kOff, v at vOff). */
  write(layer: number, slot: number, pos: number, k: Float32Array, kOff: number, v: Float32Array, vOff: number): void {
    const o = this.offset(layer, slot) + pos * this.kvDim;
    const [K, V, n] = [this.k, this.v, this.kvDim];
    // two values of each a step: ~40% faster than one in V8, and no subarray views to allocate
    let i = 0;
    for (; i + 2 <= n; i += 2) {
      K[o + i] = k[kOff + i];
      K[o + i + 1] = k[kOff + i + 1];
      V[o + i] = v[vOff + i];
      V[o + i + 1] = v[vOff + i + 1];
    }
    for (; i < n; i++) {
      K[o + i] = k[kOff + i];
      V[o + i] = v[vOff + i];
    }
  }

  /**
   * out (B, nHeads*hd) = attention of each row's query (row b at q[b * qStride])
   * over positions start..positions[b] of its slot in `layer`, where start = 0,
   * or positions[b] - window + 1 under a sliding window. The rows' K and V must
   * already be written.
   */
  attend(
    out: Float32Array, q: Float32Array, qStride: number, layer: number,
    slots: Int32Array, positions: Int32Array, B: number, window: number | null,
  ): void {
    const { nHeads, nKvHeads, headDim } = this.heads;
    const qDim = nHeads * headDim;
    const w = this.wasm;
    for (let b = 0; b < B; b++) {
      const start = window ? Math.max(0, positions[b] - window + 1) : 0;
      const off = this.offset(layer, slots[b]) + start * this.kvDim;
      const nPos = positions[b] + 1 - start;
      if (!w) {
        attention(out, b * qDim, q, b * qStride, this.k, this.v, off, nPos, nHeads, nKvHeads, headDim, this.att);
        continue;
      }
      w.rows[2 * b] = off;
      w.rows[2 * b + 1] = nPos;
      w.q.set(q.subarray(b * qStride, b * qStride + qDim), b * qDim);
    }
    if (!w) return;
    w.attend(B);
    out.set(w.out.subarray(0, B * qDim));
  }

  /** Copies positions 0..nPos-1 of `src` into `dst` in every layer. */
  copySlot(src: number, dst: number, nPos: number): void {
    if (src === dst) return;
    const len = nPos * this.kvDim;
    for (let l = 0; l < this.nLayers; l++) {
      const s = this.offset(l, src);
      this.k.copyWithin(this.offset(l, dst), s, s + len);
      this.v.copyWithin(this.offset(l, dst), s, s + len);
    }
  }
}

/** Checks forward() arguments once per call; errors name the bad row. */
export function checkRows(
  tokens: Int32Array, slots: Int32Array, positions: Int32Array, n: number,
  maxRows: number, nSlots: number, ctx: number, vocab: number,
): void {
  check(n >= 1 && n <= maxRows, `forward: row count must be in [1, ${maxRows}], got ${n}`);
  for (let r = 0; r < n; r++) {
    check(tokens[r] >= 0 && tokens[r] < vocab, `forward: token id ${tokens[r]} at row ${r} is outside the vocabulary [0, ${vocab})`);
    check(slots[r] >= 0 && slots[r] < nSlots, `forward: slot ${slots[r]} at row ${r} is outside [0, ${nSlots})`);
    check(positions[r] >= 0 && positions[r] < ctx, `forward: position ${positions[r]} at row ${r} is outside the context [0, ${ctx})`);
  }
}
