/**
 * The reference (de)quantizers of the quantized tensor types, one thread, on a
 * 576 x 1536 matrix (SmolLM2-135M's ffn_down width): million values per second
 * for dequantizing each type (what loading a K-quant file costs today, as
 * weights are dequantized at load) and for the Q4_K / Q6_K / Q5_0 / Q8_0
 * quantizers (what `studio convert` costs).
 *   npx tsx bench/quant-types.ts
 * Figures only; nothing here is asserted.
 */
import type { DType } from "@/lib/engine/tensor/dtype";
import { toFloat32 } from "@/lib/engine/tensor/dtype";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { quantizeQ5_0, quantizeQ8_0 } from "@/lib/engine/tensor/quantize";

const N = 576 * 1536;

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = ((s >>> 0) / 2147483648 - 1) * 0.05;
  }
  return out;
}

/** Best of `reps` runs of fn after `reps` warm-ups (so V8 has optimized it), in million values per second. */
function rate(fn: () => unknown, reps = 20): number {
  for (let r = 0; r < reps; r++) fn();
  let best = Infinity;
  for (let r = 0; r < reps; r++) {
    const t = performance.now();
    fn();
    best = Math.min(best, performance.now() - t);
  }
  return N / best / 1e3;
}

const x = values(N, 7);
const encoded: [DType, (x: Float32Array) => Uint8Array][] = [
  ["Q8_0", quantizeQ8_0], ["Q5_0", quantizeQ5_0], ["Q4_K", quantizeQ4_KRef], ["Q6_K", quantizeQ6_KRef],
];
console.log(`${N} values (576 x 1536); M values/s, best of 20 after 20 warm-ups (quantize: of 2 after 2)`);
console.log("type   quantize   dequantize");
for (const [dtype, quantize] of encoded) {
  const q = quantize(x);
  console.log(`${dtype.padEnd(6)} ${rate(() => quantize(x), 2).toFixed(2).padStart(8)}   ${rate(() => toFloat32(dtype, q, N)).toFixed(1).padStart(10)}`);
}
// Types the engine reads but does not write: dequantize random bytes of the right size.
for (const [dtype, bytesPerBlock, blockValues] of [["Q4_0", 18, 32], ["Q4_1", 20, 32], ["Q5_1", 24, 32], ["Q5_K", 176, 256]] as const) {
  const q = new Uint8Array((N / blockValues) * bytesPerBlock).map((_, i) => (i * 2654435761) >>> 24);
  console.log(`${dtype.padEnd(6)} ${"-".padStart(8)}   ${rate(() => toFloat32(dtype, q, N)).toFixed(1).padStart(10)}`);
}
