/**
 * Moving a model's linear layers into a WasmArena (the WASM kernels' memory),
 * packed, with the layers that read one input fused into one product.
 */
import { check } from "@/lib/engine/errors";
import { WasmArena } from "@/lib/engine/kernels/wasm/arena";
import type { Placed } from "@/lib/engine/kernels/wasm/arena-memory";
import type { FusedGroup, Linear } from "./linear";

/** Whether the WASM kernels accept this layer: rows in fours, f32 / f16 rows in fours (Q8_0 rows are in 32s already). */
function wasmShaped(W: Linear): boolean {
  return W.rows % 4 === 0 && W.cols % 4 === 0;
}

/**
 * Copies every f32 / f16 / Q8_0 layer into one WasmArena (packed) and swaps its arrays
 * for views into it, so the originals can be collected (weights are held once).
 * Layers the kernels can't take (odd shapes) stay as they are; without
 * WASM SIMD nothing changes. Call once per model, after load.
 * Each of `groups` (layers among `layers` that read one input) becomes a
 * FusedGroup when its layers share a kind and a column count.
 * @returns the arena, or null when the TypeScript kernels stay in use.
 */
export function moveToWasm(layers: readonly Linear[], groups: readonly (readonly Linear[])[] = []): WasmArena | null {
  const take = layers.filter(wasmShaped);
  let bytes = 0;
  for (const W of take) {
    if (W.kind === "f32") bytes += WasmArena.aligned(W.w.length, 4);
    if (W.kind === "f16") bytes += WasmArena.aligned(W.bits.length, 2);
    if (W.kind === "q8_0") bytes += WasmArena.aligned(W.quants.length, 1) + WasmArena.aligned(W.scales.length, 4);
  }
  const arena = take.length ? WasmArena.create(bytes) : null;
  if (!arena) return null;
  const taken = new Set(take);
  const placed = new Set<Linear>();
  for (const g of groups) {
    const fusable = g.length > 1 && g.every((W) => taken.has(W) && !placed.has(W) && W.kind === g[0].kind && W.cols === g[0].cols);
    if (!fusable) continue;
    // Q8_0: every member's quants, then every member's scales, so both stack
    const quants = g.map((W) => (W.kind === "q8_0" ? arena.placeQ8Quants(W.quants, W.rows, W.cols) : undefined));
    g.forEach((W, i) => place(arena, W, quants[i]));
    const group: FusedGroup = { members: g, combined: combined(arena, g), rows: g.map((W) => W.rows) };
    for (const W of g) {
      W.wasm!.group = group;
      placed.add(W);
    }
  }
  for (const W of take) if (!placed.has(W)) place(arena, W);
  return arena;
}

/** Moves one layer into the arena (for a Q8_0 layer given `quants`, already placed: only its scales). */
function place(arena: WasmArena, W: Linear, quants?: Placed<Int8Array>): void {
  if (W.kind === "f32") {
    const p = arena.placeF32(W.w, W.rows, W.cols);
    W.w = p.view;
    W.wasm = { arena, ptr: p.ptr };
  } else if (W.kind === "f16") {
    const p = arena.placeU16(W.bits, W.rows, W.cols);
    W.bits = p.view;
    W.wasm = { arena, ptr: p.ptr };
  } else {
    const q = quants ?? arena.placeQ8Quants(W.quants, W.rows, W.cols);
    const scales = arena.placeQ8Scales(W.scales, W.rows, W.cols);
    W.quants = q.view;
    W.scales = scales.view;
    W.wasm = { arena, qPtr: q.ptr, sPtr: scales.ptr };
  }
}

/** The (sum of rows, cols) matrix a group's back-to-back layers make, over the same arena memory. */
function combined(arena: WasmArena, g: readonly Linear[]): Linear {
  const rows = g.reduce((sum, W) => sum + W.rows, 0);
  const [first, cols, buf] = [g[0], g[0].cols, arena.memory.buffer];
  // back to back by construction (sizes are multiples of the 16-byte alignment); a gap would mix up rows
  const arrays = (W: Linear) => (W.kind === "q8_0" ? [W.quants, W.scales] : [W.kind === "f32" ? W.w : W.bits]);
  g.slice(1).forEach((W, i) => arrays(W).forEach((a, j) => {
    const prev = arrays(g[i])[j];
    check(a.byteOffset === prev.byteOffset + prev.byteLength, "moveToWasm: a fused group's layers are not back to back");
  }));
  switch (first.kind) {
    case "f32":
      return { kind: "f32", rows, cols, w: new Float32Array(buf, first.w.byteOffset, rows * cols), wasm: { arena, ptr: first.wasm!.ptr } };
    case "f16":
      return { kind: "f16", rows, cols, bits: new Uint16Array(buf, first.bits.byteOffset, rows * cols), wasm: { arena, ptr: first.wasm!.ptr } };
    case "q8_0":
      return {
        kind: "q8_0", rows, cols, quants: new Int8Array(buf, first.quants.byteOffset, rows * cols),
        scales: new Float32Array(buf, first.scales.byteOffset, (rows * cols) / 32), wasm: { arena, qPtr: first.wasm!.qPtr, sPtr: first.wasm!.sPtr },
      };
  }
}
