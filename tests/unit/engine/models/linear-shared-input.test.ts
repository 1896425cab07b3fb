/**
 * applyLinearsToOneInput quantizes a shared Q8_0 input once, and runs a fused
 * group (moveToWasm) as one product; the outputs must be exactly what one
 * applyLinear call per layer gives, for every weight kind and a mix of them
 * (also with the TypeScript kernels).
 */
import { afterEach, describe, expect, it } from "vitest";
import { setWasmKernels } from "@/lib/engine/kernels/wasm/kernel-module";
import type { Linear } from "@/lib/engine/models/linear";
import { applyLinear, applyLinearsToOneInput, linearFromF32 } from "@/lib/engine/models/linear";
import { moveToWasm } from "@/lib/engine/models/linear-wasm";
import { f32ToF16Bits } from "@/lib/engine/tensor/dtype";
import { seeded } from "../golden/random-model";

function values(rand: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => 2 * rand() - 1);
}

afterEach(() => setWasmKernels(true));

describe("applyLinearsToOneInput", () => {
  for (const wasm of [true, false]) {
    for (const kinds of [["q8_0", "q8_0", "q8_0"], ["f32", "f32", "f32"], ["f16", "f16", "f16"], ["f32", "q8_0", "f32"]] as const) {
      it(`equals one applyLinear per layer (${kinds.join(", ")}; ${wasm ? "WASM" : "TypeScript"} kernels)`, () => {
        setWasmKernels(wasm);
        const rand = seeded(3);
        // big enough that the fused product (5 x 256 x 768) is split across the helper thread
        const cols = 256, B = 5, rows = [512, 128, 128];
        const layers: Linear[] = kinds.map((k, i) => {
          const w = values(rand, rows[i] * cols);
          return k === "f16" ? { kind: "f16", rows: rows[i], cols, bits: Uint16Array.from(w, f32ToF16Bits) } : linearFromF32(w, rows[i], cols, k);
        });
        moveToWasm(layers, [layers]);
        // layers of one kind are fused into one product when they are in WASM memory
        expect(layers.every((W) => W.wasm?.group?.members === layers)).toBe(wasm && kinds.every((k) => k === kinds[0]));
        const x = values(rand, B * cols);
        const shared = rows.map((r) => new Float32Array(B * r));
        applyLinearsToOneInput(shared, x, layers, B);
        layers.forEach((W, i) => {
          const alone = new Float32Array(B * rows[i]);
          applyLinear(alone, x, W, B);
          expect(Array.from(shared[i])).toEqual(Array.from(alone));
          expect(alone.some((v) => v !== 0)).toBe(true);
        });
      });
    }
  }
});
