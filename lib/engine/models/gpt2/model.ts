/**
 * GPT-2 forward pass over a batch of rows (learned positions, pre-LayerNorm,
 * fused qkv, GELU MLP), top to bottom. Buffers are allocated once per session.
 */
import { check } from "@/lib/engine/errors";
import { gelu } from "@/lib/engine/kernels/activation";
import { addBias, addInPlace, embedding } from "@/lib/engine/kernels/embedding";
import { layernorm } from "@/lib/engine/kernels/norm";
import type { ModelConfig } from "../config";
import { KvCache, checkRows } from "../kv-cache";
import { applyLinear } from "../linear";
import type { CausalLM, Session } from "../types";
import type { Gpt2Weights } from "./weights";

const PREFILL_CHUNK = 16;

/** A GPT-2 model: config + weights; sessions hold the KV cache. */
export class Gpt2Model implements CausalLM {
  constructor(
    readonly config: ModelConfig,
    readonly weights: Gpt2Weights,
  ) {}

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
    this.cache = new KvCache(c.nLayers, slots, contextLength, { nHeads: c.nHeads, nKvHeads: c.nHeads, headDim: c.headDim }, R);
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
    const c = this.model.config;
    const w = this.model.weights;
    checkRows(tokens, slots, positions, B, this.maxRows, this.slots, this.contextLength, c.vocabSize);
    const { x, xb, xb2, attOut, qkv, h, cache } = this;
    const dim = c.dim;

    // x (B, dim) = wte[token] + wpe[pos]
    embedding(x, w.wte, tokens, B, dim);
    embedding(xb, w.wpe, positions, B, dim);
    addInPlace(x, xb, B * dim);

    for (let l = 0; l < c.nLayers; l++) {
      const L = w.layers[l];

      // qkv (B, 3*dim) = layernorm(x) @ Wqkv + b; q, k, v at offsets 0, dim, 2*dim of each row
      layernorm(xb, x, L.ln1W, L.ln1B, B, dim, c.normEps);
      applyLinear(qkv, xb, L.wqkv, B);
      addBias(qkv, L.bqkv, B, 3 * dim);
      for (let b = 0; b < B; b++) cache.write(l, slots[b], positions[b], qkv, b * 3 * dim + dim, qkv, b * 3 * dim + 2 * dim);
      cache.attend(attOut, qkv, 3 * dim, l, slots, positions, B, null);

      // x += attOut @ Wo + bo
      applyLinear(xb2, attOut, L.wo, B);
      addBias(xb2, L.bo, B, dim);
      addInPlace(x, xb2, B * dim);

      // x += gelu(layernorm(x) @ Wfc + bfc) @ Wproj + bproj
      layernorm(xb, x, L.ln2W, L.ln2B, B, dim, c.normEps);
      applyLinear(h, xb, L.wfc, B);
      addBias(h, L.bfc, B, c.hiddenDim);
      gelu(h, h, B * c.hiddenDim);
      applyLinear(xb2, h, L.wproj, B);
      addBias(xb2, L.bproj, B, dim);
      addInPlace(x, xb2, B * dim);
    }

    // logits (rows, vocab) = layernorm(x) @ Wout
    layernorm(xb, x, w.lnfW, w.lnfB, B, dim, c.normEps);
    if (want === "none") return this.logits.subarray(0, 0);
    if (want === "last") {
      xb.copyWithin(0, (B - 1) * dim, B * dim);
      applyLinear(this.logits, xb, w.output, 1);
      return this.logits.subarray(0, c.vocabSize);
    }
    applyLinear(this.logits, xb, w.output, B);
    return this.logits.subarray(0, B * c.vocabSize);
  }

  // xb still holds the final-norm rows the logits were computed from.
  hidden(out: Float32Array, row: number): void {
    const dim = this.model.config.dim;
    out.set(this.xb.subarray(row * dim, (row + 1) * dim));
  }
}
