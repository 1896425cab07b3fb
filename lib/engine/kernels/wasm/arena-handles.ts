/**
 * The WASM backend's handles (backend/types.ts) over matrices placed in its
 * arena (placement.ts): what each runs was settled when it was made, so a call
 * is one dispatch on the weight kind and then the arena's kernels.
 */
import type { Embedding, FeedForward, Linear, Product, ProductGroup, RowNorm } from "../backend/types";
import { embeddingF16, embeddingQ8_0 } from "../embedding";
import { f16ToF32Table } from "@/lib/engine/tensor/dtype";
import type { ArenaMatrix, WasmArena } from "./arena";
import type { SplitOut } from "./arena-memory";
import { Q8_QUANT_CHUNK, unpackRow } from "./packed-rows";
import type { FusedGroup } from "./placement";

const NO_OUTS: readonly Float32Array[] = [];

/** out (B, rows) = x (B, cols) @ W^T in the arena; a Q8_0 W quantizes x to Q8_0 first (llama.cpp's semantics). */
export class ArenaProduct implements Product {
  readonly rows: number;
  readonly cols: number;

  constructor(private readonly arena: WasmArena, W: Linear, private readonly m: ArenaMatrix) {
    [this.rows, this.cols] = [W.rows, W.cols];
  }

  run(out: Float32Array, x: Float32Array, B: number): void {
    const { arena, m } = this;
    switch (m.kind) {
      case "f32":
        return arena.matmulF32(out, x, m.ptr, B, this.cols, this.rows);
      case "f16":
        return arena.matmulF16(out, x, m.ptr, B, this.cols, this.rows);
      case "q8_0":
        arena.quantizeQ8(x, B * this.cols);
        return arena.matmulQ8(out, m.qPtr, m.sPtr, B, this.cols, this.rows);
    }
  }
}

/**
 * A fused group's combined product, each member's columns written to its own
 * output (the same values as one product per member), its input rows
 * RMS-normalized in the arena's scratch first when it has a norm (cols % 4 == 0).
 */
export class ArenaGroup implements ProductGroup {
  private readonly split: SplitOut;
  private readonly d: number;

  constructor(private readonly arena: WasmArena, private readonly g: FusedGroup, private readonly norm: RowNorm | undefined) {
    this.split = { outs: NO_OUTS, rows: g.rows };
    this.d = g.rows.reduce((a, b) => a + b, 0);
  }

  run(outs: readonly Float32Array[], x: Float32Array, B: number): void {
    const { arena, norm, split, d } = this;
    const { combined: m, cols } = this.g;
    split.outs = outs;
    switch (m.kind) {
      case "f32":
        arena.matmulF32(split, x, m.ptr, B, cols, d, norm);
        break;
      case "f16":
        arena.matmulF16(split, x, m.ptr, B, cols, d, norm);
        break;
      case "q8_0":
        arena.quantizeQ8(x, B * cols, norm);
        arena.matmulQ8(split, m.qPtr, m.sPtr, B, cols, d);
    }
    split.outs = NO_OUTS; // hold no session's buffers between calls
  }
}

/** The feed-forward in one arena call, its activations kept in WASM memory (WasmArena.feedForward). */
export class ArenaFeedForward implements FeedForward {
  constructor(
    private readonly arena: WasmArena, private readonly gu: ArenaMatrix, private readonly down: ArenaMatrix,
    private readonly n: number, private readonly h: number, private readonly dOut: number, private readonly norm: RowNorm | undefined,
  ) {}

  run(out: Float32Array, x: Float32Array, B: number): void {
    this.arena.feedForward(out, x, this.gu, this.down, B, this.n, this.h, this.dOut, this.norm);
  }
}

/** Rows of a table in the arena's packed layout: each row is unpacked, then decoded as the TypeScript embeddings do. */
export class PackedEmbedding implements Embedding {
  // one unpacked row (f16 bits or Q8_0 quants, cols) and its scales (cols / 32), decoded as row 0 of a one-row table
  private readonly bits: Uint16Array;
  private readonly quants: Int8Array;
  private readonly scales: Float32Array;
  private readonly first = Int32Array.of(0);

  constructor(private readonly E: Linear) {
    this.bits = new Uint16Array(E.kind === "f16" ? E.cols : 0);
    this.quants = new Int8Array(E.kind === "q8_0" ? E.cols : 0);
    this.scales = new Float32Array(E.kind === "q8_0" ? E.cols / 32 : 0);
  }

  run(out: Float32Array, ids: Int32Array, B: number): void {
    const { E, first } = this;
    const n = E.cols;
    for (let b = 0; b < B; b++) {
      const row = out.subarray(b * n, (b + 1) * n);
      if (E.kind === "f32") {
        unpackRow(row, E.w, ids[b], n, 4);
      } else if (E.kind === "f16") {
        unpackRow(this.bits, E.bits, ids[b], n, 4);
        embeddingF16(row, this.bits, f16ToF32Table(), first, 1, n);
      } else {
        unpackRow(this.quants, E.quants, ids[b], n, Q8_QUANT_CHUNK);
        unpackRow(this.scales, E.scales, ids[b], n / 32, 1);
        embeddingQ8_0(row, this.scales, this.quants, first, 1, n);
      }
    }
  }
}
