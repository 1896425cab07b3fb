/**
 * Moving a model's weight matrices into a WasmArena (the WASM kernels' memory),
 * packed, with the matrices that read one input fused into one product.
 */
import { check } from "@/lib/engine/errors";
import type { Linear, WeightKind } from "../backend/types";
import type { ArenaMatrix } from "./arena";
import { WasmArena } from "./arena";
import type { Placed } from "./arena-memory";

/**
 * Matrices that read one input (q, k, v; gate, up), placed back to back in an
 * arena: rows of packed matrices stack (each packs its rows in fours), so
 * `combined` is one (sum of rows, cols) matrix over the same memory, and the
 * whole group runs as one product split across the two threads. That is one
 * barrier instead of one per matrix, and the small k and v products (not worth
 * splitting alone) no longer run on one thread.
 */
export interface FusedGroup {
  members: readonly Linear[];
  combined: ArenaMatrix;
  /** members' row counts: the combined output's column split (SplitOut) */
  rows: readonly number[];
  cols: number;
}

/** Where a matrix lies in the arena, and the fused group it belongs to. */
export interface Placement {
  m: ArenaMatrix;
  group?: FusedGroup;
}

/** The weight kinds the WASM kernels multiply; a kind without a kernel here stays on the TypeScript backend's product. */
const ARENA_KINDS: ReadonlySet<WeightKind> = new Set(["f32", "f16", "q8_0"]);

/** Whether the WASM kernels take this matrix: a kind they have, rows in fours, f32 / f16 rows in fours (Q8_0 rows are in 32s already). */
export function arenaShaped(W: Linear): boolean {
  return ARENA_KINDS.has(W.kind) && W.rows % 4 === 0 && W.cols % 4 === 0;
}

/** Bytes `layers` take in an arena (sum of aligned sizes). */
export function arenaBytes(layers: readonly Linear[]): number {
  let bytes = 0;
  for (const W of layers) {
    if (W.kind === "f32") bytes += WasmArena.aligned(W.w.length, 4);
    if (W.kind === "f16") bytes += WasmArena.aligned(W.bits.length, 2);
    if (W.kind === "q8_0") bytes += WasmArena.aligned(W.quants.length, 1) + WasmArena.aligned(W.scales.length, 4);
  }
  return bytes;
}

/**
 * Copies each of `layers` (arenaShaped, distinct; arenaBytes(layers) reserved) into
 * the arena, packed, and swaps its arrays for views into it, so the originals
 * can be collected (weights are held once). Each of `groups` whose matrices are
 * all among `layers` and share a kind and a column count becomes a FusedGroup.
 * @returns where each matrix lies.
 */
export function placeMatrices(arena: WasmArena, layers: readonly Linear[], groups: readonly (readonly Linear[])[]): Map<Linear, Placement> {
  const taken = new Set(layers);
  const placed = new Map<Linear, Placement>();
  for (const g of groups) {
    const fusable = g.length > 1 && g.every((W) => taken.has(W) && !placed.has(W) && W.kind === g[0].kind && W.cols === g[0].cols);
    if (!fusable) continue;
    // Q8_0: every member's quants, then every member's scales, so both stack
    const quants = g.map((W) => (W.kind === "q8_0" ? arena.placeQ8Quants(W.quants, W.rows, W.cols) : undefined));
    const at = g.map((W, i) => place(arena, W, quants[i]));
    const group: FusedGroup = { members: g, combined: combined(g, at), rows: g.map((W) => W.rows), cols: g[0].cols };
    g.forEach((W, i) => placed.set(W, { m: at[i], group }));
  }
  for (const W of layers) if (!placed.has(W)) placed.set(W, { m: place(arena, W) });
  return placed;
}

/** Moves one matrix into the arena (for a Q8_0 matrix given `quants`, already placed: only its scales). */
function place(arena: WasmArena, W: Linear, quants?: Placed<Int8Array>): ArenaMatrix {
  switch (W.kind) {
    case "f32": {
      const p = arena.placeF32(W.w, W.rows, W.cols);
      W.w = p.view;
      return { kind: "f32", ptr: p.ptr };
    }
    case "f16": {
      const p = arena.placeU16(W.bits, W.rows, W.cols);
      W.bits = p.view;
      return { kind: "f16", ptr: p.ptr };
    }
    case "q8_0": {
      const q = quants ?? arena.placeQ8Quants(W.quants, W.rows, W.cols);
      const scales = arena.placeQ8Scales(W.scales, W.rows, W.cols);
      W.quants = q.view;
      W.scales = scales.view;
      return { kind: "q8_0", qPtr: q.ptr, sPtr: scales.ptr };
    }
  }
}

/** The (sum of rows, cols) matrix a group's back-to-back members make: the first member's pointers. */
function combined(g: readonly Linear[], at: readonly ArenaMatrix[]): ArenaMatrix {
  // back to back by construction (sizes are multiples of the 16-byte alignment); a gap would mix up rows
  const arrays = (W: Linear) => (W.kind === "q8_0" ? [W.quants, W.scales] : [W.kind === "f32" ? W.w : W.bits]);
  g.slice(1).forEach((W, i) => arrays(W).forEach((a, j) => {
    const prev = arrays(g[i])[j];
    check(a.byteOffset === prev.byteOffset + prev.byteLength, "placeMatrices: a fused group's matrices are not back to back");
  }));
  return at[0];
}
