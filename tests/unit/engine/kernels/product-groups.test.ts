/**
 * A group of matrices that read one input (q, k, v; gate, up): a WASM backend
 * places a group of one kind back to back and runs it as one product
 * (ArenaGroup); the TypeScript backend quantizes a shared Q8_0 input once. The
 * outputs must be exactly what one product per matrix gives, for every weight
 * kind and a mix of them, on every backend; with a norm, exactly rmsnorm first.
 */
import { describe, expect, it } from "vitest";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import { StepGroup } from "@/lib/engine/kernels/backend/steps";
import type { BackendName, WeightKind } from "@/lib/engine/kernels/backend/types";
import { ArenaGroup } from "@/lib/engine/kernels/wasm/arena-handles";
import { seeded } from "../golden/random-model";
import { WASM_BACKENDS, matrix, uniform } from "./harness";

const BACKENDS: readonly BackendName[] = ["typescript", ...WASM_BACKENDS];
const KIND_SETS: readonly (readonly WeightKind[])[] = [["q8_0", "q8_0", "q8_0"], ["f32", "f32", "f32"], ["f16", "f16", "f16"], ["f32", "q8_0", "f32"]];

describe.each(BACKENDS)("%s product groups", (backend) => {
  for (const kinds of KIND_SETS) {
    for (const normed of [false, true]) {
      it(`equal one product per matrix (${kinds.join(", ")}${normed ? "; rmsnorm on the input rows" : ""})`, () => {
        const rand = seeded(3);
        // big enough that the fused product (5 x 256 x 768) is split across the helper thread
        const cols = 256, B = 5, rows = [512, 128, 128];
        const layers = kinds.map((k, i) => matrix(k, uniform(rand, rows[i] * cols), rows[i], cols));
        const k = createKernels({ backend }, layers, [layers]);
        const norm = normed ? { w: uniform(rand, cols).map((v) => 1 + v / 2), eps: 1e-5 } : undefined;
        const group = k.products(layers, norm);
        // one kind in WASM memory: one fused product; otherwise its steps
        const fused = backend !== "typescript" && kinds.every((kind) => kind === kinds[0]);
        expect(group instanceof ArenaGroup).toBe(fused);
        expect(group instanceof StepGroup).toBe(!fused);
        const x = uniform(rand, B * cols).map((v) => 3 * v);
        const shared = rows.map((r) => new Float32Array(B * r));
        group.run(shared, x, B);
        const input = new Float32Array(B * cols);
        if (norm) k.rmsnorm(input, x, norm.w, B, cols, norm.eps);
        else input.set(x);
        layers.forEach((W, i) => {
          const alone = new Float32Array(B * rows[i]);
          k.product(W).run(alone, input, B);
          expect(Array.from(shared[i])).toEqual(Array.from(alone));
          expect(alone.some((v) => v !== 0)).toBe(true);
        });
      });
    }
  }
});
