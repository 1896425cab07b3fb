/**
 * The products alone, one thread, on the two bench models' layer shapes:
 * GFLOP/s (2 flops per multiply-add) for prefill chunks (B=16) and decode
 * batches (B=1, 4), f32 / f16 / Q8_0 weights, on the best WASM backend the host
 * has beside the TypeScript backend in the same run (skipped for the big head:
 * too slow to be useful). Q8_0 products include quantizing their input.
 *   npx tsx bench/wasm-kernels.ts
 * Figures only; nothing here is asserted.
 */
import { createKernels } from "@/lib/engine/kernels/backend/create";
import type { Linear } from "@/lib/engine/kernels/backend/types";
import { linearFromF32 } from "@/lib/engine/models/linear";
import { f32ToF16Bits } from "@/lib/engine/tensor/dtype";

// [name, d (rows out), n (cols in)]
const SHAPES: [string, number, number][] = [
  ["stories15M qkvo", 288, 288], ["stories15M up", 768, 288], ["stories15M down", 288, 768],
  ["SmolLM2 q", 576, 576], ["SmolLM2 up", 1536, 576], ["SmolLM2 down", 576, 1536], ["SmolLM2 head", 49152, 576],
];
const BATCHES = [1, 4, 16];

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s ^= s << 13; s ^= s >>> 17; s ^= s << 5;
    out[i] = (s >>> 0) / 2147483648 - 1;
  }
  return out;
}

/** Warm, then the best of three repeats of as many calls as fit in 20 ms. */
function gflops(macs: number, run: () => void): number {
  run();
  const t0 = performance.now();
  let calls = 0;
  while (performance.now() - t0 < 20) { run(); calls++; }
  let best = Infinity;
  for (let rep = 0; rep < 3; rep++) {
    const t = performance.now();
    for (let c = 0; c < calls; c++) run();
    best = Math.min(best, (performance.now() - t) / calls);
  }
  return (2 * macs) / (best * 1e6);
}

const ts = createKernels({ backend: "typescript" });
const variant = createKernels({ threads: false }).name;
console.log(`shape                B   f32 wasm  f32 ts  f16 wasm  f16 ts   q8 wasm  q8 ts   (GFLOP/s, 1 thread; ${variant})`);
for (const [name, d, n] of SHAPES) {
  const w = values(d * n, 7);
  // the same weights as f32, f16 and Q8_0, once as loaded (TypeScript) and once moved into a WASM backend
  const kinds = (): Linear[] => [
    { kind: "f32", rows: d, cols: n, w }, { kind: "f16", rows: d, cols: n, bits: Uint16Array.from(w, f32ToF16Bits) }, linearFromF32(w, d, n, "q8_0"),
  ];
  const plain = kinds().map((W) => ts.product(W));
  const moved = kinds();
  const wasm = createKernels({ threads: false }, moved);
  const arena = moved.map((W) => wasm.product(W));
  for (const B of BATCHES) {
    const x = values(B * n, 11);
    const out = new Float32Array(B * d);
    const macs = B * n * d;
    const small = d * n < 1e7;
    const [fw, hw, qw] = arena.map((p) => gflops(macs, () => p.run(out, x, B)));
    const [ft, ht, qt] = plain.map((p) => (small ? gflops(macs, () => p.run(out, x, B)) : NaN));
    const c = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(1)).padStart(8);
    console.log(`${name.padEnd(18)} ${String(B).padStart(3)} ${c(fw)} ${c(ft)} ${c(hw)} ${c(ht)} ${c(qw)} ${c(qt)}`);
  }
}
