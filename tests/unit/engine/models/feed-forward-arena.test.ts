/**
 * applyFeedForwardInArena keeps the feed-forward's activations in WASM memory
 * (WasmArena.feedForward); its output must be exactly the fused gate/up
 * product, swiglu and down product run one after another, for every weight
 * kind, for prefill chunks (rows claimed and swiglu split across the helper)
 * and single decode rows. With a RowNorm, it and applyNormedGroupInArena must
 * equal rmsnorm followed by the same steps. Layouts they cannot take are left to the caller.
 */
import { afterEach, describe, expect, it } from "vitest";
import { setWasmKernels } from "@/lib/engine/kernels/wasm/kernel-module";
import type { Linear } from "@/lib/engine/models/linear";
import { applyFeedForwardInArena, applyLinear, applyLinearsToOneInput, linearFromF32 } from "@/lib/engine/models/linear";
import { moveToWasm } from "@/lib/engine/models/linear-wasm";
import { rmsnorm } from "@/lib/engine/kernels/norm";
import { applyNormedGroupInArena } from "@/lib/engine/models/linear";
import { f32ToF16Bits } from "@/lib/engine/tensor/dtype";
import { seeded } from "../golden/random-model";

type Kind = "f32" | "f16" | "q8_0";

function layer(rand: () => number, kind: Kind, rows: number, cols: number): Linear {
  const w = Float32Array.from({ length: rows * cols }, () => (2 * rand() - 1) / Math.sqrt(cols));
  return kind === "f16" ? { kind, rows, cols, bits: Uint16Array.from(w, f32ToF16Bits) } : linearFromF32(w, rows, cols, kind);
}

/** gate, up (h, dim) fused in one arena with down (dim, h), as the Llama loader places them. */
function feedForward(kinds: [Kind, Kind], dim: number, h: number, seed: number) {
  const rand = seeded(seed);
  const gateUp = [layer(rand, kinds[0], h, dim), layer(rand, kinds[0], h, dim)];
  const down = layer(rand, kinds[1], dim, h);
  moveToWasm([...gateUp, down], [gateUp]);
  return { gateUp, down, x: (B: number) => Float32Array.from({ length: B * dim }, () => 4 * rand() - 2) };
}

/** The three steps the arena call replaces. */
function stepByStep(gateUp: Linear[], down: Linear, x: Float32Array, B: number): Float32Array {
  const [g, u] = [new Float32Array(B * gateUp[0].rows), new Float32Array(B * gateUp[0].rows)];
  applyLinearsToOneInput([g, u], x, gateUp, B);
  gateUp[0].wasm!.arena.swiglu(g, g, u, g.length);
  const out = new Float32Array(B * down.rows);
  applyLinear(out, g, down, B);
  return out;
}

afterEach(() => setWasmKernels(true));

describe("applyFeedForwardInArena", () => {
  for (const kind of ["q8_0", "f32", "f16"] as const) {
    // B = 20: claimed rows and a split swiglu (20 x 1024 values); B = 1: one decode row
    for (const B of [20, 1]) {
      it(`equals gate/up, swiglu and down one after another (${kind}, B=${B})`, () => {
        const { gateUp, down, x } = feedForward([kind, kind], 256, 1024, 11);
        const input = x(B);
        const want = stepByStep(gateUp, down, input, B);
        const got = new Float32Array(B * 256);
        expect(applyFeedForwardInArena(got, input, undefined, gateUp, down, B)).toBe(true);
        expect(Array.from(got)).toEqual(Array.from(want));
        expect(want.some((v) => Math.abs(v) > 0.1)).toBe(true);
      });
    }
  }

  for (const kind of ["q8_0", "f32", "f16"] as const) {
    for (const B of [20, 1]) {
      it(`normalizes the input rows in the scratch exactly as rmsnorm does first (${kind}, B=${B})`, () => {
        const { gateUp, down, x } = feedForward([kind, kind], 256, 1024, 14);
        const input = x(B);
        const norm = { w: Float32Array.from({ length: 256 }, (_, i) => 0.5 + (i % 7) / 4), eps: 1e-5 };
        const normed = new Float32Array(B * 256);
        rmsnorm(normed, input, norm.w, B, 256, norm.eps);

        const ffn = new Float32Array(B * 256);
        expect(applyFeedForwardInArena(ffn, input, norm, gateUp, down, B)).toBe(true);
        expect(Array.from(ffn)).toEqual(Array.from(stepByStep(gateUp, down, normed, B)));

        const [g, u] = [new Float32Array(B * 1024), new Float32Array(B * 1024)];
        const [g2, u2] = [new Float32Array(B * 1024), new Float32Array(B * 1024)];
        expect(applyNormedGroupInArena([g, u], input, norm, gateUp, B)).toBe(true);
        applyLinearsToOneInput([g2, u2], normed, gateUp, B);
        expect(Array.from(g)).toEqual(Array.from(g2));
        expect(Array.from(u)).toEqual(Array.from(u2));
        expect(g.some((v) => Math.abs(v) > 0.1)).toBe(true);
      });
    }
  }

  it("leaves a norm of another length, or a group it cannot fuse, to the caller", () => {
    const { gateUp, down, x } = feedForward(["q8_0", "q8_0"], 64, 128, 15);
    const norm = { w: new Float32Array(32).fill(1), eps: 1e-5 };
    const out = new Float32Array(64);
    expect(applyFeedForwardInArena(out, x(1), norm, gateUp, down, 1)).toBe(false);
    expect(applyNormedGroupInArena([new Float32Array(128), new Float32Array(128)], x(1), norm, gateUp, 1)).toBe(false);
    expect(applyNormedGroupInArena([new Float32Array(64)], x(1), { w: new Float32Array(128), eps: 1e-5 }, [down], 1)).toBe(false);
    expect(out.every((v) => v === 0)).toBe(true);
  });

  it("leaves a down layer of another kind, or layers on the TypeScript kernels, to the caller", () => {
    const mixed = feedForward(["q8_0", "f32"], 64, 128, 12);
    const out = new Float32Array(64);
    expect(applyFeedForwardInArena(out, mixed.x(1), undefined, mixed.gateUp, mixed.down, 1)).toBe(false);
    setWasmKernels(false);
    const ts = feedForward(["q8_0", "q8_0"], 64, 128, 13);
    expect(applyFeedForwardInArena(out, ts.x(1), undefined, ts.gateUp, ts.down, 1)).toBe(false);
    expect(out.every((v) => v === 0)).toBe(true);
  });
});
