import type { LlamaTrainConfig } from "./config";
import { headDim, paramLayout } from "./config";
import { matmul } from "@/lib/engine/kernels/matmul";
import { rmsnorm, rope, ropeTables, swiglu } from "./ops/index";

/**
 * Incremental (KV-cached) forward of the trained weights, one token at a
 * time: used to evaluate and sample during training without the inference
 * engine. Must agree with LlamaTrainModel's full-sequence forward (tested).
 */
export class DecodeSession {
  readonly logits: Float32Array;
  private pos = 0;
  private readonly w: Map<string, Float32Array>;
  private readonly kCache: Float32Array[]; // per layer (maxT, KV*hd)
  private readonly vCache: Float32Array[];
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;
  private readonly s: Record<"x" | "xn" | "inv" | "q" | "ao" | "tmp" | "g" | "u" | "att", Float32Array>;

  constructor(readonly config: LlamaTrainConfig, params: Float32Array) {
    const c = config, hd = headDim(c), kd = c.nKvHeads * hd, qd = c.nHeads * hd;
    this.w = new Map(paramLayout(c).map((e) => [e.name, params.subarray(e.offset, e.offset + e.size)]));
    this.kCache = Array.from({ length: c.nLayers }, () => new Float32Array(c.maxSeqLen * kd));
    this.vCache = Array.from({ length: c.nLayers }, () => new Float32Array(c.maxSeqLen * kd));
    ({ cos: this.cos, sin: this.sin } = ropeTables(c.maxSeqLen, hd, c.ropeTheta));
    this.logits = new Float32Array(c.vocabSize);
    this.s = {
      x: new Float32Array(c.dim), xn: new Float32Array(c.dim), inv: new Float32Array(1), q: new Float32Array(qd), ao: new Float32Array(qd),
      tmp: new Float32Array(c.dim), g: new Float32Array(c.hiddenDim), u: new Float32Array(c.hiddenDim), att: new Float32Array(c.maxSeqLen),
    };
  }

  get position(): number {
    return this.pos;
  }

  reset(): void {
    this.pos = 0;
  }

  /** Feeds one token at the next position; afterwards `logits` (V) predict the token after it. */
  step(token: number): Float32Array {
    const c = this.config, d = c.dim, hd = headDim(c), kd = c.nKvHeads * hd, qd = c.nHeads * hd, f = c.hiddenDim;
    if (this.pos >= c.maxSeqLen) throw new Error(`context full: maxSeqLen is ${c.maxSeqLen}`);
    if (!(token >= 0 && token < c.vocabSize)) throw new Error(`token id ${token} is outside the vocab (size ${c.vocabSize})`);
    const { s, pos } = this;
    const W = (n: string) => this.w.get(n)!;
    s.x.set(W("model.embed_tokens.weight").subarray(token * d, token * d + d));
    const scale = 1 / Math.sqrt(hd);
    const group = c.nHeads / c.nKvHeads;
    for (let l = 0; l < c.nLayers; l++) {
      const p = `model.layers.${l}.`;
      const kc = this.kCache[l]!, vc = this.vCache[l]!;
      rmsnorm(s.xn, s.inv, s.x, W(`${p}input_layernorm.weight`), 1, d, c.normEps);
      matmul(s.q, s.xn, W(`${p}self_attn.q_proj.weight`), 1, d, qd);
      const kRow = kc.subarray(pos * kd, pos * kd + kd);
      const vRow = vc.subarray(pos * kd, pos * kd + kd);
      matmul(kRow, s.xn, W(`${p}self_attn.k_proj.weight`), 1, d, kd);
      matmul(vRow, s.xn, W(`${p}self_attn.v_proj.weight`), 1, d, kd);
      rope(s.q, 1, c.nHeads, hd, this.cos, this.sin, pos, 1);
      rope(kRow, 1, c.nKvHeads, hd, this.cos, this.sin, pos, 1);
      for (let h = 0; h < c.nHeads; h++) {
        const kh = Math.floor(h / group) * hd;
        let max = -Infinity;
        for (let t = 0; t <= pos; t++) {
          let dot = 0;
          for (let i = 0; i < hd; i++) dot += s.q[h * hd + i]! * kc[t * kd + kh + i]!;
          s.att[t] = dot * scale;
          if (s.att[t]! > max) max = s.att[t]!;
        }
        let sum = 0;
        for (let t = 0; t <= pos; t++) sum += s.att[t] = Math.exp(s.att[t]! - max);
        for (let i = 0; i < hd; i++) {
          let acc = 0;
          for (let t = 0; t <= pos; t++) acc += s.att[t]! * vc[t * kd + kh + i]!;
          s.ao[h * hd + i] = acc / sum;
        }
      }
      matmul(s.tmp, s.ao, W(`${p}self_attn.o_proj.weight`), 1, qd, d);
      for (let i = 0; i < d; i++) s.x[i] += s.tmp[i]!;
      rmsnorm(s.xn, s.inv, s.x, W(`${p}post_attention_layernorm.weight`), 1, d, c.normEps);
      matmul(s.g, s.xn, W(`${p}mlp.gate_proj.weight`), 1, d, f);
      matmul(s.u, s.xn, W(`${p}mlp.up_proj.weight`), 1, d, f);
      swiglu(s.g, s.g, s.u, f);
      matmul(s.tmp, s.g, W(`${p}mlp.down_proj.weight`), 1, f, d);
      for (let i = 0; i < d; i++) s.x[i] += s.tmp[i]!;
    }
    rmsnorm(s.xn, s.inv, s.x, W("model.norm.weight"), 1, d, c.normEps);
    matmul(this.logits, s.xn, W(c.tieEmbeddings ? "model.embed_tokens.weight" : "lm_head.weight"), 1, d, c.vocabSize);
    this.pos++;
    return this.logits;
  }
}
