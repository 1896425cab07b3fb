/**
 * The TypeScript backend: the kernels of kernels/*.ts, on the calling thread,
 * over the matrices as loaded. The obviously-right reference the WASM backend
 * is checked against, and the fallback on hosts without WASM SIMD.
 */
import { swiglu } from "../activation";
import { embedding, embeddingF16, embeddingQ8_0 } from "../embedding";
import { TsKvCache } from "../kv-cache";
import type { KvCache, KvHeads } from "../kv-cache";
import { matmul, matmulF16 } from "../matmul";
import { matmulQ8_0Q8, quantizeRowsQ8_0 } from "../matmul-q8";
import { rmsnorm } from "../norm";
import { f16ToF32Table } from "@/lib/engine/tensor/dtype";
import { Scratch, StepFeedForward, StepGroup } from "./steps";
import type { Embedding, FeedForward, KernelBackend, Linear, Product, ProductGroup, RowNorm } from "./types";

type Q8Linear = Extract<Linear, { kind: "q8_0" }>;

/** A backend's Q8_0 input scratch: xq (n) int8, xs (n/32) scales, grown to the largest n seen, then reused. */
class Q8Input {
  xq = new Int8Array(0);
  xs = new Float32Array(0);

  /** x's first n values (a multiple of 32) as Q8_0, as llama.cpp quantizes a Q8_0 product's input. */
  quantize(x: Float32Array, n: number): void {
    if (this.xq.length < n) {
      this.xq = new Int8Array(n);
      this.xs = new Float32Array(n >> 5);
    }
    quantizeRowsQ8_0(this.xq, this.xs, x, n);
  }
}

/** out = x @ W^T with x quantized to Q8_0 first; the Q8_0 models then match llama.cpp's to ~1e-5. */
class Q8Product implements Product {
  readonly rows: number;
  readonly cols: number;

  constructor(private readonly W: Q8Linear, private readonly input: Q8Input) {
    [this.rows, this.cols] = [W.rows, W.cols];
  }

  run(out: Float32Array, x: Float32Array, B: number): void {
    this.input.quantize(x, B * this.cols);
    this.runQuantized(out, B);
  }

  /** out = the input last quantized (B rows of cols) @ W^T. */
  runQuantized(out: Float32Array, B: number): void {
    const { input, W } = this;
    matmulQ8_0Q8(out, input.xq, input.xs, W.scales, W.quants, B, this.cols, this.rows);
  }
}

/** A group of Q8_0 matrices: the shared input is quantized once, not once per member (it was ~20% of Q8_0 prefill). */
class Q8Group extends StepGroup {
  constructor(
    kernels: KernelBackend, scratch: Scratch, private readonly q8: readonly Q8Product[], norm: RowNorm | undefined,
    private readonly q8Input: Q8Input,
  ) {
    super(kernels, scratch, q8, norm);
  }

  run(outs: readonly Float32Array[], x: Float32Array, B: number): void {
    this.q8Input.quantize(this.normedInput(x, B), B * this.cols);
    for (let i = 0; i < this.q8.length; i++) this.q8[i].runQuantized(outs[i], B);
  }
}

/** The TypeScript backend (see the file comment); made by createKernels({ backend: "typescript" }) or as the WASM backend's delegate. */
export class TypeScriptKernels implements KernelBackend {
  readonly name = "typescript";
  readonly movedWeights = false;
  private readonly scratch = new Scratch();
  private readonly q8Input = new Q8Input();

  memoryBytes(): number {
    return 0;
  }

  product(W: Linear): Product {
    const { rows, cols } = W;
    switch (W.kind) {
      case "f32":
        return { rows, cols, run: (out, x, B) => matmul(out, x, W.w, B, cols, rows) };
      case "f16": {
        const table = f16ToF32Table();
        return { rows, cols, run: (out, x, B) => matmulF16(out, x, W.bits, table, B, cols, rows) };
      }
      case "q8_0":
        return new Q8Product(W, this.q8Input);
    }
  }

  products(Ws: readonly Linear[], norm?: RowNorm): ProductGroup {
    const members = Ws.map((W) => this.product(W));
    const q8 = members.filter((m): m is Q8Product => m instanceof Q8Product);
    if (q8.length === members.length) return new Q8Group(this, this.scratch, q8, norm, this.q8Input);
    return new StepGroup(this, this.scratch, members, norm);
  }

  feedForward(gate: Linear, up: Linear, down: Linear, norm?: RowNorm): FeedForward {
    return new StepFeedForward(this, this.scratch, this.products([gate, up], norm), this.product(down), gate.rows);
  }

  embedding(E: Linear): Embedding {
    const dim = E.cols;
    switch (E.kind) {
      case "f32":
        return { run: (out, ids, B) => embedding(out, E.w, ids, B, dim) };
      case "f16": {
        const table = f16ToF32Table();
        return { run: (out, ids, B) => embeddingF16(out, E.bits, table, ids, B, dim) };
      }
      case "q8_0":
        return { run: (out, ids, B) => embeddingQ8_0(out, E.scales, E.quants, ids, B, dim) };
    }
  }

  rmsnorm(out: Float32Array, x: Float32Array, w: Float32Array, B: number, n: number, eps: number): void {
    rmsnorm(out, x, w, B, n, eps);
  }

  swiglu(out: Float32Array, gate: Float32Array, up: Float32Array, n: number): void {
    swiglu(out, gate, up, n);
  }

  quantizeQ8(xq: Int8Array, xs: Float32Array, x: Float32Array, n: number): void {
    quantizeRowsQ8_0(xq, xs, x, n);
  }

  kvCache(nLayers: number, slots: number, ctx: number, heads: KvHeads): KvCache {
    return new TsKvCache(nLayers, slots, ctx, heads);
  }
}
