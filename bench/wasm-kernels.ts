/**
 * The WASM matmul kernels alone, one thread, on the two bench models' layer
 * shapes: GFLOP/s (2 flops per multiply-add) for prefill chunks (B=16) and
 * decode batches (B=1, 4), f32 / f16 / Q8_0 weights, beside the TypeScript
 * kernels of the same run (skipped for the big head: too slow to be useful).
 *   npx tsx bench/wasm-kernels.ts
 * Figures only; nothing here is asserted.
 */
import { matmul, matmulF16 } from "@/lib/engine/kernels/matmul";
import { matmulQ8_0Q8, quantizeRowsQ8_0 } from "@/lib/engine/kernels/matmul-q8";
import { WasmArena } from "@/lib/engine/kernels/wasm/arena";
import { wasmKernelVariant } from "@/lib/engine/kernels/wasm/kernel-module";
import { setWasmThreads } from "@/lib/engine/kernels/wasm/threads";
import { linearFromF32 } from "@/lib/engine/models/linear";
import { f16ToF32Table, f32ToF16Bits } from "@/lib/engine/tensor/dtype";

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

setWasmThreads(false);
console.log(`shape                B   f32 wasm  f32 ts  f16 wasm  f16 ts   q8 wasm  q8 ts   (GFLOP/s, 1 thread; ${wasmKernelVariant()} SIMD)`);
for (const [name, d, n] of SHAPES) {
  const w = values(d * n, 7);
  const Q = linearFromF32(w, d, n, "q8_0");
  if (Q.kind !== "q8_0") throw new Error("expected Q8_0");
  const bits = Uint16Array.from(w, f32ToF16Bits);
  const arena = WasmArena.create(WasmArena.aligned(d * n, 4) + WasmArena.aligned(d * n, 2) + WasmArena.aligned(d * n, 1) + WasmArena.aligned(d * n / 32, 4))!;
  const wp = arena.placeF32(w, d, n).ptr;
  const hp = arena.placeU16(bits, d, n).ptr;
  const { quants: { ptr: qp }, scales: { ptr: sp } } = arena.placeQ8(Q.quants, Q.scales, d, n);
  for (const B of BATCHES) {
    const x = values(B * n, 11);
    const out = new Float32Array(B * d);
    const xq = new Int8Array(B * n);
    const xs = new Float32Array(B * n / 32);
    quantizeRowsQ8_0(xq, xs, x, B * n);
    const macs = B * n * d;
    const small = d * n < 1e7;
    const fw = gflops(macs, () => arena.matmulF32(out, x, wp, B, n, d));
    const ft = small ? gflops(macs, () => matmul(out, x, w, B, n, d)) : NaN;
    const hw = gflops(macs, () => arena.matmulF16(out, x, hp, B, n, d));
    const ht = small ? gflops(macs, () => matmulF16(out, x, bits, f16ToF32Table(), B, n, d)) : NaN;
    arena.quantizeQ8(x, B * n);
    const qw = gflops(macs, () => arena.matmulQ8(out, qp, sp, B, n, d));
    const qt = small ? gflops(macs, () => matmulQ8_0Q8(out, xq, xs, Q.scales, Q.quants, B, n, d)) : NaN;
    const c = (v: number) => (Number.isNaN(v) ? "-" : v.toFixed(1)).padStart(8);
    console.log(`${name.padEnd(18)} ${String(B).padStart(3)} ${c(fw)} ${c(ft)} ${c(hw)} ${c(ht)} ${c(qw)} ${c(qt)}`);
  }
}
