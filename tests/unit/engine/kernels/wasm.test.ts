/**
 * What only the WASM backends do, beyond the harness (backend.test.ts): the
 * choice of kernel module, sharing work with the helper thread (bit-identical
 * to one thread), packing and holding weights in WebAssembly memory, the KV
 * cache's memory, and the forms chosen at creation for what the kernels can't take.
 */
import { describe, expect, it, vi } from "vitest";
import { swigluRef } from "@/lib/engine/kernels/activation";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import type { Linear } from "@/lib/engine/kernels/backend/types";
import { TsKvCache } from "@/lib/engine/kernels/kv-cache";
import type { KvHeads } from "@/lib/engine/kernels/kv-cache";
import { matmulRef } from "@/lib/engine/kernels/matmul";
import { WasmKv, WasmKvCache } from "@/lib/engine/kernels/wasm/kv-memory";
import { Q8_QUANT_CHUNK, packRows, unpackRow } from "@/lib/engine/kernels/wasm/packed-rows";
import { Helper } from "@/lib/engine/kernels/wasm/threads";
import { seeded } from "../golden/random-model";
import { WASM_BACKENDS, attendRef, errors, matrix, randomCache, uniform } from "./harness";

const rand = seeded(9);
const SMOL: KvHeads = { nHeads: 9, nKvHeads: 3, headDim: 64 };

/** Runs `run` while counting the ops the helper thread was started on. */
function helperOps<T>(run: () => T): { result: T; ops: number[]; args: number[][] } {
  const start = vi.spyOn(Helper.prototype, "start");
  try {
    const result = run();
    return { result, ops: start.mock.calls.map(([, op]) => op), args: start.mock.calls.map(([, , a]) => [...a]) };
  } finally {
    start.mockRestore();
  }
}

describe("choosing the WASM kernels", () => {
  it("auto takes relaxed SIMD on this host (Node 20 behind a V8 flag); wasm-plain takes the plain-SIMD fallback", () => {
    expect(createKernels().name).toBe("wasm-relaxed");
    expect(createKernels({ backend: "wasm-plain" }).name).toBe("wasm-plain");
  });

  it("gives the same Q8_0 products with relaxed and plain SIMD, also once the optimizing JIT tier runs them", () => {
    const [d, n, B] = [1536, 576, 5];
    const [w, x] = [uniform(rand, d * n), uniform(rand, B * n)];
    const [relaxed, plain] = WASM_BACKENDS.map((backend) => {
      const W = matrix("q8_0", w, d, n);
      const product = createKernels({ backend }, [W]).product(W);
      const out = new Float32Array(B * d);
      for (let k = 0; k < 20; k++) product.run(out, x, B);
      return out;
    });
    // both sum each block's exact integer dot, then scale and add block after block: bit-identical
    expect(Array.from(relaxed)).toEqual(Array.from(plain));
  });

  it("rejects an unknown backend, and WASM options given to the TypeScript backend", () => {
    expect(() => createKernels({ backend: "cuda" as never })).toThrow(/backend must be one of auto, wasm-relaxed, wasm-plain, typescript, got "cuda"/);
    expect(() => createKernels({ backend: "typescript", threads: false })).toThrow(/threads and wasmAttention apply to the WASM backends/);
  });
});

describe.each(WASM_BACKENDS)("%s backend", (backend) => {
  // B=3: fixed halves (decode batches); B=20: rows claimed by both threads (prefill chunks)
  it.each([[3, [0, 1, 3]], [20, [8, 9, 10]]])("splits big products across the helper thread with the same result as one thread (B=%i)", (B, ops) => {
    const [d, n] = [1536, 576];
    const [w, x] = [uniform(rand, d * n), uniform(rand, B * n)];
    const run = (threads: boolean) => {
      const Ws = (["f32", "q8_0", "f16"] as const).map((kind) => matrix(kind, w, d, n));
      const k = createKernels({ backend, threads }, Ws);
      const products = Ws.map((W) => k.product(W));
      return helperOps(() => products.map((p) => {
        const out = new Float32Array(B * d);
        p.run(out, x, B);
        return out;
      }));
    };
    const one = run(false);
    const two = run(true);
    expect(one.ops).toEqual([]);
    expect(two.ops).toEqual(ops); // f32, q8, f16, each on the helper
    expect(two.result).toEqual(one.result); // rows are split, not sums: bit-identical
    const ref = new Float32Array(B * d);
    matmulRef(ref, x, w, B, n, d);
    expect(errors(ref, two.result[0]).maxErr).toBeLessThan(1e-4 * Math.sqrt(n));
    expect(errors(ref, two.result[2]).maxErr).toBeLessThan(0.05); // W rounded to f16: |w| < 1, rel. err <= 2^-11
  });

  it("splits big quantizations, SwiGLUs and RMSNorms across the helper thread with the same result as one thread", () => {
    const n = 64 * 1536 + 4; // a prefill chunk's worth, plus one odd tail
    const gate = uniform(rand, n).map((v) => 4 * v);
    const up = uniform(rand, n);
    const w = uniform(rand, 576).map((v) => 1 + v);
    const run = (threads: boolean) => helperOps(() => {
      const k = createKernels({ backend, threads });
      const [out, xq, xs, normed] = [new Float32Array(n), new Int8Array(n - 4), new Float32Array((n - 4) / 32), new Float32Array(64 * 576)];
      k.swiglu(out, gate, up, n);
      k.quantizeQ8(xq, xs, gate, n - 4);
      k.rmsnorm(normed, gate, w, 64, 576, 1e-5);
      return { out, xq, xs, normed };
    });
    const one = run(false);
    const two = run(true);
    expect(one.ops).toEqual([]);
    expect(two.ops).toEqual([5, 4, 6]);
    expect(two.result).toEqual(one.result);
    const ref = new Float32Array(n);
    swigluRef(ref, gate, up, n);
    expect(errors(ref, two.result.out).maxErr).toBeLessThan(1e-5);
  });

  it("moves the matrices it takes into WebAssembly memory (views, packed) and leaves odd shapes as loaded, with the same products", () => {
    const [d, n, B] = [64, 96, 5];
    const x = uniform(rand, B * n);
    const ws = [0, 1, 2, 3].map(() => uniform(rand, d * n));
    const make = (): Linear[] => [
      matrix("f32", ws[0], d, n), matrix("q8_0", ws[1], d, n), matrix("f16", ws[2], d, n), matrix("f32", ws[3].subarray(0, 6 * n), 6, n),
    ];
    const products = (kernels: ReturnType<typeof createKernels>, Ws: Linear[]) => Ws.map((W) => {
      const out = new Float32Array(B * W.rows);
      kernels.product(W).run(out, x, B);
      return out;
    });
    const plain = make();
    const want = products(createKernels({ backend: "typescript" }, plain), plain);
    const moved = make();
    const k = createKernels({ backend }, moved);
    expect(k.movedWeights).toBe(true);
    expect(k.memoryBytes()).toBeGreaterThan(3 * d * n);
    const buffers = moved.map((W) => (W.kind === "f32" ? W.w : W.kind === "f16" ? W.bits : W.quants).buffer);
    expect(buffers.map((b) => b instanceof SharedArrayBuffer)).toEqual([true, true, true, false]); // 6 rows: not in fours
    products(k, moved).forEach((got, i) => expect(errors(want[i], got).maxErr).toBeLessThan(1e-3));
  });
});

describe("packed rows", () => {
  it("packs rows four at a time in chunks and unpacks every row back", () => {
    const [rows, cols] = [8, 64];
    const src = Int8Array.from({ length: rows * cols }, (_, k) => (k % 251) - 125);
    for (const chunk of [1, 4, Q8_QUANT_CHUNK, 32]) {
      const packed = new Int8Array(rows * cols);
      packRows(packed, src, rows, cols, chunk);
      // row 1's first chunk follows row 0's; row 0's second chunk follows row 3's first
      expect(Array.from(packed.subarray(chunk, 2 * chunk))).toEqual(Array.from(src.subarray(cols, cols + chunk)));
      expect(Array.from(packed.subarray(4 * chunk, 5 * chunk))).toEqual(Array.from(src.subarray(chunk, 2 * chunk)));
      for (let r = 0; r < rows; r++) {
        const row = new Int8Array(cols);
        unpackRow(row, packed, r, cols, chunk);
        expect(Array.from(row)).toEqual(Array.from(src.subarray(r * cols, (r + 1) * cols)));
      }
    }
  });
});

describe("WASM KV cache", () => {
  it("splits a prefill chunk's rows across the helper thread with the same result as one thread", () => {
    const B = 64;
    const qDim = SMOL.nHeads * SMOL.headDim;
    const q = uniform(rand, B * qDim).map((v) => 8 * v);
    const slots = new Int32Array(B).fill(1);
    const positions = Int32Array.from({ length: B }, (_, b) => 40 + b); // causal rows: work grows with b
    const [one, two] = [false, true].map((threads) => helperOps(() => {
      const cache = randomCache(createKernels({ threads }).kvCache(2, 2, 128, SMOL, B), seeded(5));
      expect(cache).toBeInstanceOf(WasmKvCache);
      const out = new Float32Array(B * qDim);
      cache.attend(out, q, qDim, 1, slots, positions, B, null);
      return { out, ref: attendRef(cache, q, 1, slots, positions, B, null) };
    }));
    // the helper took the later rows: op 7 on B - mid rows, mid past half the rows (later rows attend more positions)
    expect(one.ops).toEqual([]);
    expect(two.ops).toEqual([7]);
    expect(two.args[0][5]).toBeGreaterThan(0);
    expect(two.args[0][5]).toBeLessThan(B / 2);
    expect(two.result.out).toEqual(one.result.out);
    expect(errors(two.result.ref, two.result.out).maxErr).toBeLessThan(1e-5);
  });

  it("sizes the cache's memory once for K, V and scratch, and attention does not grow it", () => {
    const cache = randomCache(createKernels().kvCache(2, 4, 200, SMOL, 16), rand);
    if (!(cache instanceof WasmKvCache)) throw new Error("expected the WASM cache");
    const bytes = WasmKv.bytes(cache.k.length, SMOL, 200, 16);
    expect(cache.memory.buffer.byteLength).toBe(Math.ceil(bytes / 65536) * 65536);
    const qDim = SMOL.nHeads * SMOL.headDim;
    cache.attend(new Float32Array(16 * qDim), uniform(rand, 16 * qDim), qDim, 1, new Int32Array(16).fill(2), new Int32Array(16).fill(199), 16, null);
    expect(cache.memory.buffer.byteLength).toBe(Math.ceil(bytes / 65536) * 65536);
    expect(cache.k.buffer).toBe(cache.memory.buffer);
  });

  it("runs the TypeScript attention when wasmAttention is off or the head size is not a multiple of 16", () => {
    const off = createKernels({ wasmAttention: false }).kvCache(2, 1, 8, SMOL, 1);
    const odd = createKernels().kvCache(2, 1, 8, { nHeads: 4, nKvHeads: 2, headDim: 8 }, 1);
    for (const cache of [off, odd]) {
      expect(cache).toBeInstanceOf(TsKvCache);
      randomCache(cache, rand);
      const q = uniform(rand, cache.heads.nHeads * cache.heads.headDim).map((v) => 8 * v);
      const got = new Float32Array(q.length);
      cache.attend(got, q, q.length, 0, Int32Array.of(0), Int32Array.of(7), 1, null);
      expect(errors(attendRef(cache, q, 0, Int32Array.of(0), Int32Array.of(7), 1, null), got).maxErr).toBeLessThan(1e-5);
    }
  });

  it("keeps K and V in plain arrays, with a notice, when the host cannot allocate the memory", () => {
    const kernels = createKernels();
    const memory = vi.spyOn(WebAssembly, "Memory").mockImplementation(function () {
      throw new RangeError("WebAssembly.Memory(): could not allocate memory");
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      const cache = kernels.kvCache(2, 1, 8, SMOL, 1);
      expect(cache).toBeInstanceOf(TsKvCache);
      expect(cache.k).toBeInstanceOf(Float32Array);
      expect(warn).toHaveBeenCalledTimes(1);
    } finally {
      memory.mockRestore();
      warn.mockRestore();
    }
  });
});
