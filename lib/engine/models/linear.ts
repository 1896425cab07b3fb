/**
 * A linear layer's weight W (rows, cols) — one row per output — stored as
 * float32, f16 bits, or Q8_0 (int8 + one scale per 32 values), and the
 * helpers that load one from a RawTensor and apply it: x (B, cols) -> out (B, rows).
 */
import { check } from "@/lib/engine/errors";
import { embedding, embeddingF16, embeddingQ8_0 } from "@/lib/engine/kernels/embedding";
import { matmul, matmulF16 } from "@/lib/engine/kernels/matmul";
import { matmulQ8_0Q8, quantizeRowsQ8_0 } from "@/lib/engine/kernels/matmul-q8";
import type { ArenaMatrix, RowNorm, WasmArena } from "@/lib/engine/kernels/wasm/arena";
import type { SplitOut } from "@/lib/engine/kernels/wasm/arena-memory";
import { Q8_QUANT_CHUNK, unpackRow } from "@/lib/engine/kernels/wasm/packed-rows";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import { dequantizeAtLoad, f16ToF32Table } from "@/lib/engine/tensor/dtype";
import { quantizeQ8_0, unpackQ8_0 } from "@/lib/engine/tensor/quantize";

/**
 * `wasm` is set once the weight lives in a WasmArena (see moveToWasm): the
 * arrays are then views into the arena's memory, in its packed row order
 * (packed-rows.ts; embedRows reads them through it), and products run there.
 * `wasm.group` is set on the layers of a fused group.
 */
export type Linear =
  | { kind: "f32"; rows: number; cols: number; w: Float32Array; wasm?: { arena: WasmArena; ptr: number; group?: FusedGroup } }
  | { kind: "f16"; rows: number; cols: number; bits: Uint16Array; wasm?: { arena: WasmArena; ptr: number; group?: FusedGroup } }
  | { kind: "q8_0"; rows: number; cols: number; scales: Float32Array; quants: Int8Array;
      wasm?: { arena: WasmArena; qPtr: number; sPtr: number; group?: FusedGroup } };

/**
 * Layers that read one input (q, k, v; gate, up), placed back to back in an
 * arena: rows of packed matrices stack (each packs its rows in fours), so
 * `combined` is one (sum of rows, cols) matrix over the same memory, and
 * applyLinearsToOneInput computes the whole group as one product split across
 * the two threads. That is one barrier instead of one per layer, and the small
 * k and v products (not worth splitting alone) no longer run on one thread.
 */
export interface FusedGroup {
  members: readonly Linear[];
  combined: Linear;
  /** members' row counts: the combined output's column split (SplitOut) */
  rows: readonly number[];
}

/** How to keep weights in memory: as in the file, or quantized to Q8_0 at load. */
export type WeightFormat = "auto" | "f32" | "q8_0";

// Activation scratch for Q8_0 layers; grows to the largest B*cols seen, then is reused.
let xq = new Int8Array(0);
let xs = new Float32Array(0);

/**
 * out (B, rows) = x (B, cols) @ W^T. As in llama.cpp, Q8_0 weights quantize x to
 * Q8_0 first (Q8_0 models then match llama.cpp's to ~1e-5); F16 weights take x in f32.
 */
export function applyLinear(out: Float32Array, x: Float32Array, W: Linear, B: number): void {
  switch (W.kind) {
    case "f32":
      if (W.wasm) return W.wasm.arena.matmulF32(out, x, W.wasm.ptr, B, W.cols, W.rows);
      return matmul(out, x, W.w, B, W.cols, W.rows);
    case "f16":
      if (W.wasm) return W.wasm.arena.matmulF16(out, x, W.wasm.ptr, B, W.cols, W.rows);
      return matmulF16(out, x, W.bits, f16ToF32Table(), B, W.cols, W.rows);
    case "q8_0":
      quantizeInput(x, B * W.cols, W);
      return matmulQuantizedInput(out, W, B);
  }
}

/**
 * outs[i] = x @ Ws[i]^T for layers that read the same input (q, k, v; gate, up):
 * a Q8_0 input is quantized once rather than once per layer — it was ~20% of
 * Q8_0 prefill. Results are identical to calling applyLinear for each.
 */
export function applyLinearsToOneInput(outs: readonly Float32Array[], x: Float32Array, Ws: readonly Linear[], B: number): void {
  const group = fusedGroupOf(Ws);
  if (group) return applyGroup(group.combined, { outs, rows: group.rows }, x, B);
  for (let i = 0; i < Ws.length; i++) {
    const W = Ws[i];
    if (W.kind !== "q8_0") {
      applyLinear(outs[i], x, W, B);
      continue;
    }
    if (!(i > 0 && Ws[i - 1].kind === "q8_0" && Ws[i - 1].cols === W.cols && Ws[i - 1].wasm?.arena === W.wasm?.arena)) {
      quantizeInput(x, B * W.cols, W);
    }
    matmulQuantizedInput(outs[i], W, B);
  }
}

/** The fused group Ws are (the same layers in the same order), or undefined. */
function fusedGroupOf(Ws: readonly Linear[]): FusedGroup | undefined {
  const group = Ws[0]?.wasm?.group;
  return group && group.members.length === Ws.length && group.members.every((W, i) => W === Ws[i]) ? group : undefined;
}

/** Whether an arena can RMS-normalize (B, cols) input rows in place: its kernel takes rows in fours of values. */
function normFits(norm: RowNorm | undefined, cols: number): boolean {
  return !norm || (norm.w.length === cols && cols % 4 === 0);
}

/**
 * applyLinearsToOneInput on rmsnorm(x) * norm.w, the norm done in the arena's
 * scratch (the values rmsnorm gives, without copying the rows out and back),
 * when Ws are a fused group. @returns false, having done nothing, otherwise.
 */
export function applyNormedGroupInArena(outs: readonly Float32Array[], x: Float32Array, norm: RowNorm, Ws: readonly Linear[], B: number): boolean {
  const group = fusedGroupOf(Ws);
  if (!group || !normFits(norm, group.combined.cols)) return false;
  applyGroup(group.combined, { outs, rows: group.rows }, x, B, norm);
  return true;
}

/**
 * out (B, dOut) = (silu(x' @ Wgate^T) * (x' @ Wup^T)) @ Wdown^T in one arena call,
 * x' = x or, with `norm`, rmsnorm(x) * norm.w, when gate and up are a fused group
 * and down shares their arena and weight kind (WasmArena.feedForward).
 * @returns false, having done nothing, otherwise.
 */
export function applyFeedForwardInArena(
  out: Float32Array, x: Float32Array, norm: RowNorm | undefined, gateUp: readonly Linear[], down: Linear, B: number,
): boolean {
  const group = fusedGroupOf(gateUp);
  const C = group?.combined;
  if (!group || !C?.wasm || gateUp.length !== 2 || !normFits(norm, C.cols)) return false;
  const h = group.rows[0];
  const [gu, dn] = [arenaMatrix(C), arenaMatrix(down)];
  if (!gu || !dn || group.rows[1] !== h || h % 4 !== 0 || C.kind !== down.kind || down.wasm?.arena !== C.wasm.arena || down.cols !== h) return false;
  C.wasm.arena.feedForward(out, x, gu, dn, B, C.cols, h, down.rows, norm);
  return true;
}

/** Where a layer moved to an arena lies there, as its products read it. */
function arenaMatrix(W: Linear): ArenaMatrix | null {
  if (!W.wasm) return null;
  return W.kind === "q8_0" ? { kind: W.kind, qPtr: W.wasm.qPtr, sPtr: W.wasm.sPtr } : { kind: W.kind, ptr: W.wasm.ptr };
}

/** A fused group's combined product, each member's columns written to its own output (same values as one product per member). */
function applyGroup(C: Linear, out: SplitOut, x: Float32Array, B: number, norm?: RowNorm): void {
  switch (C.kind) {
    case "f32":
      return C.wasm!.arena.matmulF32(out, x, C.wasm!.ptr, B, C.cols, C.rows, norm);
    case "f16":
      return C.wasm!.arena.matmulF16(out, x, C.wasm!.ptr, B, C.cols, C.rows, norm);
    case "q8_0":
      C.wasm!.arena.quantizeQ8(x, B * C.cols, norm);
      return C.wasm!.arena.matmulQ8(out, C.wasm!.qPtr, C.wasm!.sPtr, B, C.cols, C.rows);
  }
}

/**
 * x's first n values as Q8_0, where W's product reads them: in W's arena's
 * scratch, else in the module's scratch (which grows to the largest n seen).
 */
function quantizeInput(x: Float32Array, n: number, W: Extract<Linear, { kind: "q8_0" }>): void {
  if (W.wasm) return W.wasm.arena.quantizeQ8(x, n);
  if (xq.length < n) {
    xq = new Int8Array(n);
    xs = new Float32Array(n >> 5);
  }
  quantizeRowsQ8_0(xq, xs, x, n);
}

/** out = x @ W^T for the input quantizeInput last wrote for W. */
function matmulQuantizedInput(out: Float32Array, W: Extract<Linear, { kind: "q8_0" }>, B: number): void {
  if (W.wasm) return W.wasm.arena.matmulQ8(out, W.wasm.qPtr, W.wasm.sPtr, B, W.cols, W.rows);
  return matmulQ8_0Q8(out, xq, xs, W.scales, W.quants, B, W.cols, W.rows);
}

/** out (B, cols) = rows ids[0..B) of E (rows, cols), dequantized: token embeddings from a (possibly tied) table. */
export function embedRows(out: Float32Array, E: Linear, ids: Int32Array, B: number): void {
  if (E.wasm) return embedPackedRows(out, E, ids, B);
  switch (E.kind) {
    case "f32":
      return embedding(out, E.w, ids, B, E.cols);
    case "f16":
      return embeddingF16(out, E.bits, f16ToF32Table(), ids, B, E.cols);
    case "q8_0":
      return embeddingQ8_0(out, E.scales, E.quants, ids, B, E.cols);
  }
}

/** embedRows for a table in an arena's packed layout: each row is unpacked, then decoded as embedRows does. */
function embedPackedRows(out: Float32Array, E: Linear, ids: Int32Array, B: number): void {
  const n = E.cols;
  const row = (b: number) => out.subarray(b * n, (b + 1) * n);
  // f16 / Q8_0: one unpacked row at a time, decoded as row 0 of a one-row table
  const first = Int32Array.of(0);
  if (E.kind === "f32") {
    for (let b = 0; b < B; b++) unpackRow(row(b), E.w, ids[b], n, 4);
  } else if (E.kind === "f16") {
    const bits = new Uint16Array(n);
    for (let b = 0; b < B; b++) {
      unpackRow(bits, E.bits, ids[b], n, 4);
      embeddingF16(row(b), bits, f16ToF32Table(), first, 1, n);
    }
  } else {
    const quants = new Int8Array(n);
    const scales = new Float32Array(n / 32);
    for (let b = 0; b < B; b++) {
      unpackRow(quants, E.quants, ids[b], n, Q8_QUANT_CHUNK);
      unpackRow(scales, E.scales, ids[b], n / 32, 1);
      embeddingQ8_0(row(b), scales, quants, first, 1, n);
    }
  }
}

/** Checks a tensor's row-major shape; the error names the tensor and both shapes. */
export function expectShape(t: RawTensor | undefined, name: string, shape: readonly number[], source: string): RawTensor {
  check(t, `missing tensor "${name}"`, source);
  check(
    t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]),
    `tensor "${name}" has shape ${JSON.stringify(t.shape)}, expected ${JSON.stringify(shape)}`,
    source,
  );
  return t;
}

/** Builds a Linear from float32 data (rows, cols), quantizing when asked and cols allows it. */
export function linearFromF32(w: Float32Array, rows: number, cols: number, format: WeightFormat): Linear {
  if (format === "q8_0" && cols % 32 === 0) {
    return { kind: "q8_0", rows, cols, ...unpackQ8_0(quantizeQ8_0(w), rows * cols) };
  }
  return { kind: "f32", rows, cols, w };
}

/** Builds a Linear from a file tensor of shape (rows, cols); F16 stays F16 and Q8_0 stays Q8_0 under "auto". */
export function linearFromTensor(t: RawTensor, format: WeightFormat): Linear {
  const [rows, cols] = t.shape;
  if (format === "auto" && t.dtype === "Q8_0") return { kind: "q8_0", rows, cols, ...unpackQ8_0(t.bytes, rows * cols) };
  if (format === "auto" && t.dtype === "F16" && t.bytes.byteOffset % 2 === 0) {
    return { kind: "f16", rows, cols, bits: new Uint16Array(t.bytes.buffer, t.bytes.byteOffset, rows * cols) };
  }
  if (format === "q8_0" && t.dtype === "Q8_0") return { kind: "q8_0", rows, cols, ...unpackQ8_0(t.bytes, rows * cols) };
  // BF16 and the K-quant / legacy types (Q4_0 ... Q6_K) have no kernel yet: float32 at load
  return linearFromF32(dequantizeAtLoad(t), rows, cols, format === "q8_0" ? "q8_0" : "f32");
}
