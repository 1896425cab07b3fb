/**
 * applyLinearsToOneInput quantizes a shared Q8_0 input once; the outputs must
 * be exactly what one applyLinear call per layer gives, for every weight kind
 * and a mix of them (also with the TypeScript kernels).
 */
import { afterEach, describe, expect, it } from "vitest";
import { setWasmKernels } from "@/lib/engine/kernels/wasm/arena";
import type { Linear } from "@/lib/engine/models/linear";
import { applyLinear, applyLinearsToOneInput, linearFromF32, moveToWasm } from "@/lib/engine/models/linear";
import { seeded } from "../golden/random-model";

function values(rand: () => number, n: number): Float32Array {
  return Float32Array.from({ length: n }, () => 2 * rand() - 1);
}

afterEach(() => setWasmKernels(true));

describe("applyLinearsToOneInput", () => {
  for (const wasm of [true, false]) {
    for (const kinds of [["q8_0", "q8_0", "q8_0"], ["f32", "q8_0", "f32"]] as const) {
      it(`equals one applyLinear per layer (${kinds.join(", ")}; ${wasm ? "WASM" : "TypeScript"} kernels)`, () => {
        setWasmKernels(wasm);
        const rand = seeded(3);
        const cols = 96, B = 5, rows = [64, 32, 32];
        const layers: Linear[] = kinds.map((k, i) => linearFromF32(values(rand, rows[i] * cols), rows[i], cols, k));
        moveToWasm(layers);
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
