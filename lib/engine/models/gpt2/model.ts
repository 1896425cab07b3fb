/**
 * GPT-2 forward pass over a batch of rows (learned positions, pre-LayerNorm,
 * fused qkv, GELU MLP), top to bottom. Products and attention run on the
 * model's kernel backend; LayerNorm and GELU in TypeScript. Buffers are
 * allocated once per session.
 */
import { check } from "@/lib/engine/errors";
import { gelu } from "@/lib/engine/kernels/activation";
import { createKernels } from "@/lib/engine/kernels/backend/create";
import type { Embedding, KernelBackend, KernelOptions, Product } from "@/lib/engine/kernels/backend/types";
import { addBias, addInPlace, embedding } from "@/lib/engine/kernels/embedding";
import type { KvCache } from "@/lib/engine/kernels/kv-cache";
import { layernorm } from "@/lib/engine/kernels/norm";
import { checkRows } from "../check-rows";
import type { ModelConfig } from "../config";
import type { CausalLM, Session } from "../types";
import type { Gpt2Weights } from "./weights";
import { gpt2Matrices, ownGpt2Vectors } from "./weights";

const PREFILL_CHUNK = 16;

/** One layer's products: qkv = x' @ Wqkv, attOut @ Wo, x' @ Wfc, h @ Wproj. */
interface LayerOps {
  qkv: Product;
  wo: Product;
  fc: Product;
  proj: Product;
}

/** A GPT-2 model: config, weights and the kernels that run them; sessions hold the KV cache. */
export class Gpt2Model implements CausalLM {
  readonly kernels: KernelBackend;
  readonly embed: Embedding;
  readonly layers: readonly LayerOps[];
  readonly output: Product;

  /** Takes `weights` (their matrices move into the backend's memory); `kernels` chooses the backend (default: the best the host supports). */
  constructor(
    readonly config: ModelConfig,
    readonly weights: Gpt2Weights,
    kernels: KernelOptions = {},
  ) {
    const k = (this.kernels = createKernels(kernels, gpt2Matrices(weights)));
    if (k.movedWeights) ownGpt2Vectors(weights);
    this.embed = k.embedding(weights.tokenEmbedding);
    this.layers = weights.layers.map((L) => ({ qkv: k.product(L.wqkv), wo: k.product(L.wo), fc: k.product(L.wfc), proj: k.product(L.wproj) }));
    this.output = k.product(weights.output);
  }

  createSession(opts: { slots: number; contextLength?: number }): Session {
    return new Gpt2Session(this, opts.slots, opts.contextLength ?? this.config.maxSeqLen);
  }
}

class Gpt2Session implements Session {
  readonly maxRows: number;
  private readonly cache: KvCache;
  // R = maxRows: x, xb, xb2, attOut (R, dim); qkv (R, 3*dim); h (R, hidden); logits (R, vocab).
  private readonly x: Float32Array;
  private readonly xb: Float32Array;
  private readonly xb2: Float32Array;
  private readonly attOut: Float32Array;
  private readonly qkv: Float32Array;
  private readonly h: Float32Array;
  private readonly logits: Float32Array;

  constructor(
    private readonly model: Gpt2Model,
    readonly slots: number,
    readonly contextLength: number,
  ) {
    const c = model.config;
    check(Number.isInteger(slots) && slots >= 1, `session: slots must be a positive integer, got ${slots}`);
    check(
      Number.isInteger(contextLength) && contextLength >= 1 && contextLength <= c.maxSeqLen,
      `session: contextLength must be in [1, ${c.maxSeqLen}], got ${contextLength}`,
    );
    const R = (this.maxRows = Math.max(slots, PREFILL_CHUNK));
    this.cache = model.kernels.kvCache(c.nLayers, slots, contextLength, { nHeads: c.nHeads, nKvHeads: c.nHeads, headDim: c.headDim }, R);
    this.x = new Float32Array(R * c.dim);
    this.xb = new Float32Array(R * c.dim);
    this.xb2 = new Float32Array(R * c.dim);
    this.attOut = new Float32Array(R * c.dim);
    this.qkv = new Float32Array(R * 3 * c.dim);
    this.h = new Float32Array(R * c.hiddenDim);
    this.logits = new Float32Array(R * c.vocabSize);
  }

  copySlot(src: number, dst: number, nPos: number): void {
    this.cache.copySlot(src, dst, nPos);
  }

  forward(tokens: Int32Array, slots: Int32Array, positions: Int32Array, B: number, want: "all" | "last" | "none"): Float32Array {
    const m = this.model;
    const c = m.config;
    const w = m.weights;
    checkRows(tokens, slots, positions, B, this.maxRows, this.slots, this.contextLength, c.vocabSize);
    const { x, xb, xb2, attOut, qkv, h, cache } = this;
    const dim = c.dim;

    // x (B, dim) = wte[token] + wpe[pos]
    m.embed.run(x, tokens, B);
    embedding(xb, w.wpe, positions, B, dim);
    addInPlace(x, xb, B * dim);

    for (let l = 0; l < c.nLayers; l++) {
      const L = w.layers[l];
      const ops = m.layers[l];

      // qkv (B, 3*dim) = layernorm(x) @ Wqkv + b; q, k, v at offsets 0, dim, 2*dim of each row
      layernorm(xb, x, L.ln1W, L.ln1B, B, dim, c.normEps);
      ops.qkv.run(qkv, xb, B);
      addBias(qkv, L.bqkv, B, 3 * dim);
      for (let b = 0; b < B; b++) cache.write(l, slots[b], positions[b], qkv, b * 3 * dim + dim, qkv, b * 3 * dim + 2 * dim);
      cache.attend(attOut, qkv, 3 * dim, l, slots, positions, B, null);

      // x += attOut @ Wo + bo
      ops.wo.run(xb2, attOut, B);
      addBias(xb2, L.bo, B, dim);
      addInPlace(x, xb2, B * dim);

      // x += gelu(layernorm(x) @ Wfc + bfc) @ Wproj + bproj
      layernorm(xb, x, L.ln2W, L.ln2B, B, dim, c.normEps);
      ops.fc.run(h, xb, B);
      addBias(h, L.bfc, B, c.hiddenDim);
      gelu(h, h, B * c.hiddenDim);
      ops.proj.run(xb2, h, B);
      addBias(xb2, L.bproj, B, dim);
      addInPlace(x, xb2, B * dim);
    }

    // logits (rows, vocab) = layernorm(x) @ Wout
    layernorm(xb, x, w.lnfW, w.lnfB, B, dim, c.normEps);
    if (want === "none") return this.logits.subarray(0, 0);
    if (want === "last") {
      xb.copyWithin(0, (B - 1) * dim, B * dim);
      m.output.run(this.logits, xb, 1);
      return this.logits.subarray(0, c.vocabSize);
    }
    m.output.run(this.logits, xb, B);
    return this.logits.subarray(0, B * c.vocabSize);
  }

  // xb still holds the final-norm rows the logits were computed from.
  hidden(out: Float32Array, row: number): void {
    const dim = this.model.config.dim;
    out.set(this.xb.subarray(row * dim, (row + 1) * dim));
  }
}
