import { matmul } from "@/lib/engine/kernels/matmul";
import type { LlamaTrainConfig } from "./config";
import { headDim, paramLayout } from "./config";
import type { Buf } from "./ops/index";
import { attention, attentionBackward, matmulBackward, rmsnorm, rmsnormBackward, rope, ropeTables, swiglu, swigluBackward } from "./ops/index";

type FloatCtor = Float32ArrayConstructor | Float64ArrayConstructor;

/** Views of one layer's weights (or gradients) inside the flat buffer. */
interface LayerViews {
  attnNorm: Buf; wq: Buf; wk: Buf; wv: Buf; wo: Buf; mlpNorm: Buf; wGate: Buf; wUp: Buf; wDown: Buf;
}
interface Views {
  embed: Buf; layers: LayerViews[]; norm: Buf; head: Buf;
}

function views(c: LlamaTrainConfig, flat: Buf): Views {
  const byName = new Map(paramLayout(c).map((e) => [e.name, flat.subarray(e.offset, e.offset + e.size)]));
  const get = (n: string): Buf => byName.get(n)!;
  const layers: LayerViews[] = [];
  for (let l = 0; l < c.nLayers; l++) {
    const p = `model.layers.${l}.`;
    layers.push({
      attnNorm: get(`${p}input_layernorm.weight`), wq: get(`${p}self_attn.q_proj.weight`), wk: get(`${p}self_attn.k_proj.weight`),
      wv: get(`${p}self_attn.v_proj.weight`), wo: get(`${p}self_attn.o_proj.weight`), mlpNorm: get(`${p}post_attention_layernorm.weight`),
      wGate: get(`${p}mlp.gate_proj.weight`), wUp: get(`${p}mlp.up_proj.weight`), wDown: get(`${p}mlp.down_proj.weight`),
    });
  }
  const embed = get("model.embed_tokens.weight");
  return { embed, layers, norm: get("model.norm.weight"), head: c.tieEmbeddings ? embed : get("lm_head.weight") };
}

/** Saved activations of one layer for one sequence (allocated once for maxSeqLen). */
interface LayerActs {
  xn1: Buf; inv1: Buf; q: Buf; k: Buf; v: Buf; probs: Buf; ao: Buf; xMid: Buf; xn2: Buf; inv2: Buf; g: Buf; u: Buf; a: Buf;
}

/**
 * Llama forward + hand-written backward for one sequence at a time (llm.c
 * style). Parameters and gradients are flat buffers laid out by paramLayout;
 * a batch is a loop over sequences that accumulates into `grads`.
 */
export class LlamaTrainModel {
  readonly w: Views;
  readonly g: Views;
  private readonly acts: LayerActs[] = [];
  private readonly resid: Buf[] = []; // (nLayers+1) × (T,d): input of each layer, then the final residual
  private readonly ws: Record<"xnF" | "invF" | "rows" | "logits" | "dx" | "dxn" | "dMid" | "dq" | "dk" | "dv" | "dao" | "da" | "dg" | "du" | "dp" | "dRows", Buf>;
  private readonly cos: Float64Array;
  private readonly sin: Float64Array;

  constructor(readonly config: LlamaTrainConfig, params: Buf, grads: Buf, Ctor: FloatCtor = Float32Array) {
    const c = config;
    const T = c.maxSeqLen, d = c.dim, hd = headDim(c), qd = c.nHeads * hd, kd = c.nKvHeads * hd, f = c.hiddenDim;
    this.w = views(c, params);
    this.g = views(c, grads);
    for (let l = 0; l <= c.nLayers; l++) this.resid.push(new Ctor(T * d));
    for (let l = 0; l < c.nLayers; l++) {
      this.acts.push({
        xn1: new Ctor(T * d), inv1: new Ctor(T), q: new Ctor(T * qd), k: new Ctor(T * kd), v: new Ctor(T * kd),
        probs: new Ctor(c.nHeads * T * T), ao: new Ctor(T * qd), xMid: new Ctor(T * d), xn2: new Ctor(T * d), inv2: new Ctor(T),
        g: new Ctor(T * f), u: new Ctor(T * f), a: new Ctor(T * f),
      });
    }
    this.ws = {
      xnF: new Ctor(T * d), invF: new Ctor(T), rows: new Ctor(T * d), logits: new Ctor(T * c.vocabSize),
      dx: new Ctor(T * d), dxn: new Ctor(T * d), dMid: new Ctor(T * d), dq: new Ctor(T * qd), dk: new Ctor(T * kd), dv: new Ctor(T * kd),
      dao: new Ctor(T * qd), da: new Ctor(T * f), dg: new Ctor(T * f), du: new Ctor(T * f), dp: new Ctor(T), dRows: new Ctor(T * d),
    };
    ({ cos: this.cos, sin: this.sin } = ropeTables(T, hd, c.ropeTheta));
  }

  /**
   * Runs one sequence. tokens (T) are inputs; targets (T) hold the next token
   * or -1 where no loss is taken (prompt tokens in SFT). Returns the summed
   * cross-entropy over scored positions and their count. When gradScale > 0
   * the backward pass adds gradScale * d(sum loss)/dθ into the grads buffer.
   */
  forwardBackward(tokens: ArrayLike<number>, targets: ArrayLike<number>, gradScale: number): { loss: number; count: number } {
    const c = this.config;
    const T = tokens.length, d = c.dim, V = c.vocabSize;
    this.embed(tokens);
    this.layersForward(T, 0);
    const { w, ws } = this;

    // Final norm, then logits only for scored rows: the LM head is the largest
    // matmul and prompt positions need none in SFT. rows (M,d) -> logits (M,V).
    this.finalNorm(T);
    let M = 0;
    for (let t = 0; t < T; t++) {
      if (targets[t]! < 0) continue;
      ws.rows.set(ws.xnF.subarray(t * d, t * d + d), M * d);
      M++;
    }
    if (M === 0) return { loss: 0, count: 0 };
    matmul(ws.logits, ws.rows, w.head, M, d, V);

    // Cross-entropy; logits become dlogits = (softmax - onehot) * gradScale in place.
    let loss = 0;
    let r = 0;
    for (let t = 0; t < T; t++) {
      const y = targets[t]!;
      if (y < 0) continue;
      if (y >= V) throw new Error(`target id ${y} at position ${t} is outside the vocab (size ${V})`);
      const row = ws.logits.subarray(r * V, r * V + V);
      let max = -Infinity;
      for (let i = 0; i < V; i++) if (row[i]! > max) max = row[i]!;
      let sum = 0;
      for (let i = 0; i < V; i++) sum += Math.exp(row[i]! - max);
      loss += Math.log(sum) + max - row[y]!;
      if (gradScale > 0) {
        for (let i = 0; i < V; i++) row[i] = (Math.exp(row[i]! - max) / sum) * gradScale;
        row[y] -= gradScale;
      }
      r++;
    }
    if (gradScale > 0) this.backward(tokens, targets, M);
    return { loss, count: M };
  }

  /** Backward through everything forwardBackward computed; ws.logits holds dlogits (M,V). */
  private backward(tokens: ArrayLike<number>, targets: ArrayLike<number>, M: number): void {
    const c = this.config;
    const T = tokens.length, d = c.dim, V = c.vocabSize;
    const { w, g, ws } = this;

    // LM head: dRows (M,d) = dlogits @ W_head; dW_head += dlogits^T rows. Scatter rows back to (T,d).
    ws.dRows.fill(0, 0, M * d);
    matmulBackward(ws.dRows, g.head, ws.logits, ws.rows, w.head, M, d, V);
    ws.dxn.fill(0, 0, T * d);
    let r = 0;
    for (let t = 0; t < T; t++) {
      if (targets[t]! < 0) continue;
      ws.dxn.set(ws.dRows.subarray(r * d, r * d + d), t * d);
      r++;
    }
    this.normAndLayersBackward(T, 0);
    this.embedBackward(tokens);
  }

  /**
   * Reward-model entry point: runs the sequence and returns the final-norm
   * hidden states (T,d), a view valid until the next call. With `from`, the
   * layers below `from.layer` are skipped and `from.x` (T,d) — that layer's
   * input, as {@link residual} returned it earlier — is used instead, so a
   * caller training only the top layers can cache the frozen part.
   */
  forwardHidden(tokens: ArrayLike<number>, from?: { layer: number; x: Buf }): Buf {
    const T = tokens.length, d = this.config.dim;
    if (from) {
      if (!(from.layer >= 0 && from.layer <= this.config.nLayers)) throw new Error(`layer ${from.layer} is outside 0..${this.config.nLayers}`);
      if (from.x.length !== T * d) throw new Error(`cached input has ${from.x.length} values, expected ${T * d}`);
      if (T > this.config.maxSeqLen) throw new Error(`sequence length ${T} exceeds maxSeqLen ${this.config.maxSeqLen}`);
      this.resid[from.layer]!.set(from.x);
    } else {
      this.embed(tokens);
    }
    this.layersForward(T, from?.layer ?? 0);
    this.finalNorm(T);
    return this.ws.xnF.subarray(0, T * d);
  }

  /** The input of layer `layer` (T,d) from the last forward pass (layer nLayers: the final residual). */
  residual(layer: number, T: number): Buf {
    return this.resid[layer]!.subarray(0, T * this.config.dim);
  }

  /**
   * Backward from a gradient on the final-norm hidden states (T,d) of the
   * last {@link forwardHidden}: adds d/dθ into the grads of the final norm and
   * of layers `stopLayer`..nLayers-1 only (the rest stay frozen and cost nothing).
   * stopLayer 0 also reaches the embedding table.
   */
  backwardHidden(tokens: ArrayLike<number>, dHidden: Buf, stopLayer: number): void {
    const T = tokens.length, d = this.config.dim;
    if (dHidden.length < T * d) throw new Error(`dHidden has ${dHidden.length} values, expected ${T * d}`);
    this.ws.dxn.set(dHidden.subarray(0, T * d));
    this.normAndLayersBackward(T, stopLayer);
    if (stopLayer === 0) this.embedBackward(tokens);
  }

  /** Embedding: scatter-add each position's gradient (ws.dx) into its token's row. */
  private embedBackward(tokens: ArrayLike<number>): void {
    const d = this.config.dim, dx = this.ws.dx, gE = this.g.embed;
    for (let t = 0; t < tokens.length; t++) {
      const id = tokens[t]!;
      for (let i = 0; i < d; i++) gE[id * d + i] += dx[t * d + i]!;
    }
  }

  /** resid[0] (T,d) = embeddings of `tokens`, checking every id. */
  private embed(tokens: ArrayLike<number>): void {
    const c = this.config;
    const T = tokens.length, d = c.dim, V = c.vocabSize;
    if (T > c.maxSeqLen) throw new Error(`sequence length ${T} exceeds maxSeqLen ${c.maxSeqLen}`);
    const x0 = this.resid[0]!;
    for (let t = 0; t < T; t++) {
      const id = tokens[t]!;
      if (!(id >= 0 && id < V)) throw new Error(`token id ${id} at position ${t} is outside the vocab (size ${V})`);
      x0.set(this.w.embed.subarray(id * d, id * d + d), t * d);
    }
  }

  /** Layers `from`..nLayers-1: resid[l] -> resid[l+1], saving what backward needs. */
  private layersForward(T: number, from: number): void {
    const c = this.config;
    const d = c.dim, hd = headDim(c), qd = c.nHeads * hd, kd = c.nKvHeads * hd, f = c.hiddenDim;
    const dims = { T, nHeads: c.nHeads, nKv: c.nKvHeads, hd };
    for (let l = from; l < c.nLayers; l++) {
      const L = this.w.layers[l]!, A = this.acts[l]!, xIn = this.resid[l]!, xOut = this.resid[l + 1]!;
      // Attention block: xMid = xIn + o_proj(attn(rope(q), rope(k), v)).
      rmsnorm(A.xn1, A.inv1, xIn, L.attnNorm, T, d, c.normEps);
      matmul(A.q, A.xn1, L.wq, T, d, qd);
      matmul(A.k, A.xn1, L.wk, T, d, kd);
      matmul(A.v, A.xn1, L.wv, T, d, kd);
      rope(A.q, T, c.nHeads, hd, this.cos, this.sin, 0, 1);
      rope(A.k, T, c.nKvHeads, hd, this.cos, this.sin, 0, 1);
      attention(A.ao, A.probs, A.q, A.k, A.v, dims);
      matmul(A.xMid, A.ao, L.wo, T, qd, d);
      for (let i = 0; i < T * d; i++) A.xMid[i] += xIn[i]!;
      // MLP block: xOut = xMid + down(silu(gate(xn2)) * up(xn2)).
      rmsnorm(A.xn2, A.inv2, A.xMid, L.mlpNorm, T, d, c.normEps);
      matmul(A.g, A.xn2, L.wGate, T, d, f);
      matmul(A.u, A.xn2, L.wUp, T, d, f);
      swiglu(A.a, A.g, A.u, T * f);
      matmul(xOut, A.a, L.wDown, T, f, d);
      for (let i = 0; i < T * d; i++) xOut[i] += A.xMid[i]!;
    }
  }

  /** ws.xnF (T,d) = final rmsnorm of the last residual. */
  private finalNorm(T: number): void {
    const c = this.config;
    rmsnorm(this.ws.xnF, this.ws.invF, this.resid[c.nLayers]!, this.w.norm, T, c.dim, c.normEps);
  }

  /**
   * From ws.dxn (T,d), the gradient on the final-norm output, back through the
   * final norm and layers nLayers-1..stopLayer; leaves d/d(resid[stopLayer]) in ws.dx.
   */
  private normAndLayersBackward(T: number, stopLayer: number): void {
    const c = this.config;
    const d = c.dim, hd = headDim(c), qd = c.nHeads * hd, kd = c.nKvHeads * hd, f = c.hiddenDim;
    const dims = { T, nHeads: c.nHeads, nKv: c.nKvHeads, hd };
    const { w, g, ws } = this;
    const dx = ws.dx; // gradient w.r.t. the residual stream (T,d)
    dx.fill(0, 0, T * d);
    rmsnormBackward(dx, g.norm, ws.dxn, this.resid[c.nLayers]!, ws.invF, w.norm, T, d);

    for (let l = c.nLayers - 1; l >= stopLayer; l--) {
      const L = w.layers[l]!, G = g.layers[l]!, A = this.acts[l]!, xIn = this.resid[l]!;
      // MLP: dx flows to xMid directly and through down/swiglu/gate+up/norm.
      ws.da.fill(0, 0, T * f);
      matmulBackward(ws.da, G.wDown, dx, A.a, L.wDown, T, f, d);
      swigluBackward(ws.dg, ws.du, ws.da, A.g, A.u, T * f);
      ws.dxn.fill(0, 0, T * d);
      matmulBackward(ws.dxn, G.wGate, ws.dg, A.xn2, L.wGate, T, d, f);
      matmulBackward(ws.dxn, G.wUp, ws.du, A.xn2, L.wUp, T, d, f);
      ws.dMid.set(dx.subarray(0, T * d));
      rmsnormBackward(ws.dMid, G.mlpNorm, ws.dxn, A.xMid, A.inv2, L.mlpNorm, T, d);
      // Attention: dMid flows to xIn directly and through o_proj/attention/rope/q,k,v/norm.
      ws.dao.fill(0, 0, T * qd);
      matmulBackward(ws.dao, G.wo, ws.dMid, A.ao, L.wo, T, qd, d);
      attentionBackward(ws.dq, ws.dk, ws.dv, ws.dp, ws.dao, A.probs, A.q, A.k, A.v, dims);
      rope(ws.dq, T, c.nHeads, hd, this.cos, this.sin, 0, -1);
      rope(ws.dk, T, c.nKvHeads, hd, this.cos, this.sin, 0, -1);
      ws.dxn.fill(0, 0, T * d);
      matmulBackward(ws.dxn, G.wq, ws.dq, A.xn1, L.wq, T, d, qd);
      matmulBackward(ws.dxn, G.wk, ws.dk, A.xn1, L.wk, T, d, kd);
      matmulBackward(ws.dxn, G.wv, ws.dv, A.xn1, L.wv, T, d, kd);
      dx.set(ws.dMid.subarray(0, T * d));
      rmsnormBackward(dx, G.attnNorm, ws.dxn, xIn, A.inv1, L.attnNorm, T, d);
    }
  }
}
