/**
 * The kernel backend seam: what a model's forward pass asks of its kernels.
 * A backend is chosen once, when the model is built (createKernels), and is
 * given the model's weight matrices then; the forward calls the handles it
 * made (products, groups, feed-forwards, embeddings), its element-wise ops and
 * its KV caches, with no per-call choice of implementation. Two implement it:
 *   typescript.ts — the reference: plain TypeScript kernels, one thread, any host
 *   wasm.ts       — WASM SIMD (relaxed or plain), weights packed in one
 *                   WebAssembly.Memory, big ops shared with a helper thread
 */
import type { KvCache, KvHeads } from "../kv-cache";

/**
 * A weight matrix W (rows, cols), one row per output, as stored in memory:
 * float32, f16 bits, or Q8_0 (int8 quants + one f32 scale per 32 values).
 * A backend that copies weights into its own memory swaps the arrays for
 * views into it (packed, see wasm/packed-rows.ts), so they are held once.
 */
export type Linear =
  | { kind: "f32"; rows: number; cols: number; w: Float32Array }
  | { kind: "f16"; rows: number; cols: number; bits: Uint16Array }
  | { kind: "q8_0"; rows: number; cols: number; scales: Float32Array; quants: Int8Array };

/** The weight kinds a Linear can hold. */
export type WeightKind = Linear["kind"];

/** An RMSNorm (weight w (n), eps) a group or feed-forward applies to its input rows first. */
export interface RowNorm {
  w: Float32Array;
  eps: number;
}

/** The backends: the TypeScript reference, or WASM SIMD with relaxed (i8 dot products) or plain SIMD. */
export type BackendName = "typescript" | "wasm-relaxed" | "wasm-plain";

/** Which kernels a model runs on; an option of the model loaders and constructors. */
export interface KernelOptions {
  /** "auto" (default): the best the host supports, wasm-relaxed, else wasm-plain, else typescript (with a one-line notice). */
  backend?: "auto" | BackendName;
  /** WASM backends: share big products, norms and attention with the helper thread (default true). */
  threads?: boolean;
  /** WASM backends: attention over the KV cache in WASM SIMD (default true; false runs the TypeScript attention). */
  wasmAttention?: boolean;
}

/** out (B, rows) = x (B, cols) @ W^T for one weight matrix. */
export interface Product {
  readonly rows: number;
  readonly cols: number;
  run(out: Float32Array, x: Float32Array, B: number): void;
}

/**
 * Matrices that read one input (q, k, v; gate, up): outs[i] (B, rows_i) =
 * x' (B, cols) @ W_i^T, x' = x or, with the group's norm, rmsnorm(x) * norm.w.
 */
export interface ProductGroup {
  run(outs: readonly Float32Array[], x: Float32Array, B: number): void;
}

/** The SwiGLU feed-forward: out (B, dim) = (silu(x' @ Wgate^T) * (x' @ Wup^T)) @ Wdown^T, x' as in ProductGroup. */
export interface FeedForward {
  run(out: Float32Array, x: Float32Array, B: number): void;
}

/** out (B, cols) = rows ids[0..B) of a table, dequantized (token embeddings). */
export interface Embedding {
  run(out: Float32Array, ids: Int32Array, B: number): void;
}

/**
 * A model's kernels. Handles are made once per model (at construction); each
 * call then runs one op. Scratch belongs to the backend instance; calls
 * allocate nothing once it has grown to the largest batch seen.
 */
export interface KernelBackend {
  readonly name: BackendName;
  /** Whether the matrices given at creation were copied into the backend's memory (arrays left as file views can then be copied out, so the file can be freed). */
  readonly movedWeights: boolean;
  /** Bytes of WebAssembly memory the backend holds for weights and scratch (0 for TypeScript). */
  memoryBytes(): number;
  product(W: Linear): Product;
  /** `Ws` run as one product when they were a group at creation (same kind and cols). */
  products(Ws: readonly Linear[], norm?: RowNorm): ProductGroup;
  feedForward(gate: Linear, up: Linear, down: Linear, norm?: RowNorm): FeedForward;
  embedding(E: Linear): Embedding;
  /** out (B, n) = RMSNorm(x (B, n)) * w; out may alias x. */
  rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void;
  /** out (n) = silu(gate) * up; out may alias gate. */
  swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void;
  /** xq (n), xs (n/32) = x's first n values (a multiple of 32) as Q8_0, the input side of Q8_0 products. */
  quantizeQ8(xq: Int8Array, xs: Float32Array, x: Float32Array, n: number): void;
  /** A KV cache of `slots` sequences of `ctx` positions over nLayers, attending up to `maxRows` rows a call. */
  kvCache(nLayers: number, slots: number, ctx: number, heads: KvHeads, maxRows: number): KvCache;
}
