/**
 * KV cache: for each layer, `slots` sequences of `ctx` positions of kvDim
 * floats, in one Float32Array per K and V:
 *   k, v (nLayers, slots, ctx, kvDim)
 */
import { check } from "@/lib/engine/errors";

export class KvCache {
  readonly k: Float32Array;
  readonly v: Float32Array;

  constructor(
    readonly nLayers: number,
    readonly slots: number,
    readonly ctx: number,
    readonly kvDim: number,
  ) {
    const n = nLayers * slots * ctx * kvDim;
    check(n < 2 ** 31, `KV cache of ${nLayers}x${slots}x${ctx}x${kvDim} floats is too large; use fewer sequences or a shorter context`);
    this.k = new Float32Array(n);
    this.v = new Float32Array(n);
  }

  /** Offset of position 0 of `slot` in layer `layer`. */
  offset(layer: number, slot: number): number {
    return (layer * this.slots + slot) * this.ctx * this.kvDim;
  }

  /** Stores one position's k and v rows (read from k at kOff, v at vOff). */
  write(layer: number, slot: number, pos: number, k: Float32Array, kOff: number, v: Float32Array, vOff: number): void {
    const o = this.offset(layer, slot) + pos * this.kvDim;
    for (let i = 0; i < this.kvDim; i++) {
      this.k[o + i] = k[kOff + i];
      this.v[o + i] = v[vOff + i];
    }
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
