/**
 * The compiled WASM kernel modules an arena instantiates: relaxed SIMD (i8 dot
 * products) where V8 has it and it gives the right answers, and plain SIMD.
 * createKernels (backend/create.ts) picks one per model.
 */
import { matmulModuleBytes } from "./matmul-module";

/** wasm32 limit: 4 GiB. */
export const MAX_PAGES = 65536;

/** The kernels an arena runs: a compiled module (relaxed or plain SIMD), and whether it shares work with the helper thread. */
export interface ArenaKernels {
  module: WebAssembly.Module;
  /** The relaxed module's matmul_q8 reads quantize_q8's paired layout. */
  relaxed: boolean;
  threads: boolean;
}

export type QuantizeKernel = (x: number, xq: number, xs: number, nBlocks: number) => void;
export type Q8Kernel = (
  out: number, xq: number, xs: number, wq: number, ws: number, B: number, n: number, d: number, i0: number, i1: number,
) => void;

// Compiled once per process on first use: what the host supports, never changed after.
let plain: WebAssembly.Module | null | undefined;
let relaxed: WebAssembly.Module | null | undefined;

/** The plain-SIMD kernel module, or null (with a one-line notice) on hosts without WASM SIMD or shared memory. */
export function plainModule(): WebAssembly.Module | null {
  if (plain !== undefined) return plain;
  plain = null;
  if (typeof WebAssembly !== "object" || typeof SharedArrayBuffer !== "function") {
    console.warn("engine: WebAssembly shared memory unavailable; using the TypeScript kernels");
    return null;
  }
  const bytes = matmulModuleBytes(true, 1, MAX_PAGES);
  if (!WebAssembly.validate(bytes)) {
    console.warn("engine: WebAssembly SIMD unavailable; using the TypeScript kernels");
    return null;
  }
  plain = new WebAssembly.Module(bytes);
  return plain;
}

/**
 * The relaxed-SIMD module (i8 dot products in matmul_q8), or null with a
 * one-line notice. Node 20's V8 has relaxed SIMD behind a flag: when the module
 * doesn't validate, the flag is set once (it only admits these opcodes) and
 * validation is tried again.
 */
export function relaxedModule(): WebAssembly.Module | null {
  if (relaxed !== undefined) return relaxed;
  relaxed = null;
  if (!plainModule()) return null;
  const bytes = matmulModuleBytes(true, 1, MAX_PAGES, { relaxed: true });
  if (!WebAssembly.validate(bytes)) {
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const v8 = proc?.getBuiltinModule?.("node:v8") as { setFlagsFromString?: (flags: string) => void } | undefined;
    v8?.setFlagsFromString?.("--experimental-wasm-relaxed-simd");
  }
  relaxed = WebAssembly.validate(bytes) ? new WebAssembly.Module(bytes) : null;
  if (!relaxed) console.warn("engine: WebAssembly relaxed SIMD unavailable; using the plain SIMD kernels");
  else if (!q8Agrees(plainModule()!, relaxed)) {
    relaxed = null;
    console.warn("engine: WebAssembly relaxed SIMD gives wrong i8 dot products here; using the plain SIMD kernels");
  }
  return relaxed;
}

/**
 * Whether two modules' quantize_q8 + matmul_q8 give identical products on a
 * small case where every sum is an exact integer (x and W whole numbers with
 * each block's max |x| = 127, so all scales are 1), covering the full quant
 * range and both signs: relaxed ops have had engine bugs, e.g. V8 11.3's
 * baseline tier doubling i32x4.relaxed_dot_i8x16_i7x16_add_s.
 */
function q8Agrees(a: WebAssembly.Module, b: WebAssembly.Module): boolean {
  const [d, n] = [4, 64];
  const outs = [a, b].map((mod) => {
    const memory = new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
    const k = new WebAssembly.Instance(mod, { env: { memory } }).exports;
    // layout: wq (d, n) at 0, ws (d, n/32) at 1024, xq at 2048, xs at 3072, out at 4096, x (n) f32 at 5120
    const i8 = new Int8Array(memory.buffer);
    const f32 = new Float32Array(memory.buffer);
    for (let j = 0; j < d * n; j++) i8[j] = ((j * 37) % 255) - 127;
    f32.fill(1, 256, 256 + (d * n) / 32);
    for (let j = 0; j < n; j++) f32[1280 + j] = j % 32 ? ((j * 53) % 255) - 127 : 127;
    (k.quantize_q8 as QuantizeKernel)(5120, 2048, 3072, n / 32);
    (k.matmul_q8 as Q8Kernel)(4096, 2048, 3072, 0, 1024, 1, n, d, 0, d);
    return Array.from(f32.subarray(1024, 1024 + d));
  });
  return outs[0].every((v, j) => v === outs[1][j]);
}

