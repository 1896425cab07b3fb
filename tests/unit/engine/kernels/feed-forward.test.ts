/**
 * The SwiGLU feed-forward handle. Where a WASM backend fused gate and up and
 * holds down in the same kind, it runs as one arena call with its activations
 * kept in WASM memory (ArenaFeedForward); its output must be exactly the same
 * backend's step-by-step form (the fused gate/up product, swiglu, the down
 * product), for every weight kind, for prefill chunks (rows claimed, swiglu split
 * across the helper) and single decode rows, with and without the RMSNorm on
 * its input rows; and close to the TypeScript backend's. What it can't fuse
 * gets the step-by-step form when the handle is made.
 */
import { describe, expect, it } from "vitest";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import { Scratch, StepFeedForward } from "@/lib/engine/kernels/backend/steps";
import type { KernelBackend, KernelOptions, RowNorm, WeightKind } from "@/lib/engine/kernels/backend/types";
import { ArenaFeedForward } from "@/lib/engine/kernels/wasm/arena-handles";
import { seeded } from "../golden/random-model";
import { WASM_BACKENDS, matrix } from "./harness";

/** gate, up (h, dim) and down (dim, h), given to a new backend as a model loader gives them (gate and up as a group). */
function feedForward(opts: KernelOptions, kinds: [WeightKind, WeightKind], dim: number, h: number, seed: number, norm?: RowNorm) {
  const rand = seeded(seed);
  const values = (n: number, cols: number) => Float32Array.from({ length: n }, () => (2 * rand() - 1) / Math.sqrt(cols));
  const [gate, up, down] = [matrix(kinds[0], values(h * dim, dim), h, dim), matrix(kinds[0], values(h * dim, dim), h, dim), matrix(kinds[1], values(dim * h, h), dim, h)];
  const k = createKernels(opts, [gate, up, down], [[gate, up]]);
  const steps = (kernels: KernelBackend) => new StepFeedForward(kernels, new Scratch(), kernels.products([gate, up], norm), kernels.product(down), h);
  return { k, handle: k.feedForward(gate, up, down, norm), steps: steps(k), x: (B: number) => Float32Array.from({ length: B * dim }, () => 4 * rand() - 2) };
}

function run(ff: { run(out: Float32Array, x: Float32Array, B: number): void }, x: Float32Array, B: number, dim: number): Float32Array {
  const out = new Float32Array(B * dim);
  ff.run(out, x, B);
  return out;
}

const NORM: RowNorm = { w: Float32Array.from({ length: 256 }, (_, i) => 0.5 + (i % 7) / 4), eps: 1e-5 };

describe.each(WASM_BACKENDS)("%s feed-forward", (backend) => {
  for (const kind of ["q8_0", "f32", "f16"] as const) {
    // B = 20: claimed rows and a split swiglu (20 x 1024 values); B = 1: one decode row
    for (const B of [20, 1]) {
      for (const norm of [undefined, NORM]) {
        it(`runs in one arena call, equal to its steps (${kind}, B=${B}${norm ? ", normalized input" : ""})`, () => {
          const { handle, steps, x } = feedForward({ backend }, [kind, kind], 256, 1024, 11, norm);
          expect(handle).toBeInstanceOf(ArenaFeedForward);
          const input = x(B);
          const got = run(handle, input, B, 256);
          expect(Array.from(got)).toEqual(Array.from(run(steps, input, B, 256)));
          expect(got.some((v) => Math.abs(v) > 0.1)).toBe(true);
          // the TypeScript backend on the same weights and input: f32 sums in another order (Q8_0: the same quantized input)
          const ts = feedForward({ backend: "typescript" }, [kind, kind], 256, 1024, 11, norm).handle;
          const want = run(ts, input, B, 256);
          expect(Math.max(...want.map((v, i) => Math.abs(v - got[i])))).toBeLessThan(kind === "q8_0" ? 2e-3 : 1e-4);
        });
      }
    }
  }

  it("takes the step-by-step form, made at creation, for a down matrix of another kind", () => {
    const mixed = feedForward({ backend }, ["q8_0", "f32"], 64, 128, 12);
    expect(mixed.handle).toBeInstanceOf(StepFeedForward);
    const x = mixed.x(3);
    expect(Array.from(run(mixed.handle, x, 3, 64))).toEqual(Array.from(run(mixed.steps, x, 3, 64)));
  });

  it("rejects a norm of another length than the rows when the handle is made", () => {
    expect(() => feedForward({ backend }, ["q8_0", "q8_0"], 64, 128, 15, { w: new Float32Array(32).fill(1), eps: 1e-5 }))
      .toThrow(/a norm of 32 weights cannot normalize rows of 64/);
  });
});

describe("typescript feed-forward", () => {
  it("is its steps: the gate/up group, swiglu, the down product", () => {
    const { handle, steps, x } = feedForward({ backend: "typescript" }, ["q8_0", "q8_0"], 256, 1024, 13, NORM);
    expect(handle).toBeInstanceOf(StepFeedForward);
    const input = x(5);
    const got = run(handle, input, 5, 256);
    expect(Array.from(got)).toEqual(Array.from(run(steps, input, 5, 256)));
    expect(got.some((v) => Math.abs(v) > 0.1)).toBe(true);
  });
});
