/**
 * Emits the WASM SIMD attention kernel: causal GQA attention of B query rows
 * against their slots of a KV cache held in the same memory, one call per
 * layer. All pointers are byte offsets into the imported memory (shared: the
 * helper thread runs some of the rows on it).
 *
 *   attention_rows(out, q, k, v, rows, B, nKvHeads, group, hd, att, scale):
 *     q, out (B, nKvHeads*group*hd); row b reads rows[2b] (float offset of its
 *     first position in k and v) and rows[2b+1] = nPos (>= 1) positions of kvDim
 *     = nKvHeads*hd floats. Query head h = kh*group + g reads kv head kh.
 *     att: scratch of nPos rounded up to 4 floats. Scores are scaled by `scale`.
 *
 * Contract (checked by the caller): hd % 16 == 0, B >= 1, nPos >= 1. Scores
 * go four positions at a time, so up to three K rows past a row's last
 * position are read (and their scores discarded): the caller keeps memory
 * readable there. exp is a polynomial (2^n * p(r), |r| <= ln2/2, degree 7:
 * truncation ~5e-9, so f32 rounding dominates, ~2 ulp).
 */
import { F32, FuncBuilder, I32, V128, assembleModule, f32const, hsum4, op, simd, vstore } from "./emit";
import { expV } from "./vector-math";

/** Pushes the max (or sum) of local v's four lanes as an f32. */
function reduce(f: FuncBuilder, v: number, opcode: number): void {
  f.get(v).v(simd.f32x4ExtractLane, 0).get(v).v(simd.f32x4ExtractLane, 1).emit(opcode);
  f.get(v).v(simd.f32x4ExtractLane, 2).get(v).v(simd.f32x4ExtractLane, 3).emit(opcode, opcode);
}

/**
 * The kernel's locals (indices). Byte pointers: kp0/vp0 = kv head's first row,
 * kp/kr = K rows of the current four positions, vp = V row, tp = into att,
 * qp/outp = current head of q/out; attEnd/end4 = att + nPos (rounded up to 4) floats.
 */
interface Locals {
  b: number; kh: number; g: number; rowOff: number; attEnd: number; end4: number; kp0: number; vp0: number;
  qp: number; outp: number; kp: number; vp: number; tp: number; i: number; hdBytes: number; rowBytes: number;
  kr: number[]; acc: number[]; qv: number; mv: number; sv: number; x: number; n: number; inv: number;
}

function declareLocals(f: FuncBuilder): Locals {
  const i32 = () => f.local(I32);
  const v128 = () => f.local(V128);
  return {
    b: i32(), kh: i32(), g: i32(), rowOff: i32(), attEnd: i32(), end4: i32(), kp0: i32(), vp0: i32(),
    qp: i32(), outp: i32(), kp: i32(), vp: i32(), tp: i32(), i: i32(), hdBytes: i32(), rowBytes: i32(),
    kr: [i32(), i32(), i32(), i32()], acc: [v128(), v128(), v128(), v128()],
    qv: v128(), mv: v128(), sv: v128(), x: v128(), n: v128(), inv: f.local(F32),
  };
}

function attentionRows(): FuncBuilder {
  const f = new FuncBuilder([I32, I32, I32, I32, I32, I32, I32, I32, I32, I32, F32]);
  const [out, q, k, v, rows, B, nKvHeads, group, hd, att, scale] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const L = declareLocals(f);
  f.get(hd).i32(2).emit(op.i32Shl).set(L.hdBytes);
  f.get(nKvHeads).get(L.hdBytes).emit(op.i32Mul).set(L.rowBytes);
  f.i32(0).set(L.b);
  f.doWhile(L.b, 1, B, () => {
    // this row's positions: k/v byte offset, att end (nPos floats) and end rounded up to 4
    f.get(rows).get(L.b).i32(3).emit(op.i32Shl, op.i32Add).tee(L.tp).emit(op.i32Load, 2, 0).i32(2).emit(op.i32Shl).set(L.rowOff);
    f.get(L.tp).emit(op.i32Load, 2, 4).i32(2).emit(op.i32Shl).get(att).emit(op.i32Add).set(L.attEnd);
    f.get(L.attEnd).get(att).emit(op.i32Sub).i32(12).emit(op.i32Add).i32(-16).emit(op.i32And).get(att).emit(op.i32Add).set(L.end4);
    // q and out rows of b: group * rowBytes bytes each
    f.get(L.b).get(group).get(L.rowBytes).emit(op.i32Mul, op.i32Mul).tee(L.i).get(q).emit(op.i32Add).set(L.qp);
    f.get(L.i).get(out).emit(op.i32Add).set(L.outp);
    f.i32(0).set(L.kh);
    f.doWhile(L.kh, 1, nKvHeads, () => {
      f.get(L.kh).get(L.hdBytes).emit(op.i32Mul).get(L.rowOff).emit(op.i32Add).tee(L.i).get(k).emit(op.i32Add).set(L.kp0);
      f.get(L.i).get(v).emit(op.i32Add).set(L.vp0);
      f.i32(0).set(L.g);
      f.doWhile(L.g, 1, group, () => {
        scores(f, L, att, scale);
        softmax(f, L, att);
        weightedSum(f, L, att);
        f.get(L.qp).get(L.hdBytes).emit(op.i32Add).set(L.qp);
        f.get(L.outp).get(L.hdBytes).emit(op.i32Add).set(L.outp);
      });
    });
  });
  return f;
}

/** att[t] = scale * q . k[t] for four positions per step, up to end4. */
function scores(f: FuncBuilder, L: Locals, att: number, scale: number): void {
  f.get(L.kp0).set(L.kp);
  f.get(att).set(L.tp);
  f.doWhile(L.tp, 16, L.end4, () => {
    f.get(L.kp).set(L.kr[0]);
    for (let r = 1; r < 4; r++) f.get(L.kr[r - 1]).get(L.rowBytes).emit(op.i32Add).set(L.kr[r]);
    for (const a of L.acc) f.vzero().set(a);
    f.i32(0).set(L.i);
    f.doWhile(L.i, 16, L.hdBytes, () => {
      f.get(L.qp).get(L.i).emit(op.i32Add).vload().set(L.qv);
      L.acc.forEach((a, r) => {
        f.get(a).get(L.kr[r]).get(L.i).emit(op.i32Add).vload().get(L.qv).v(simd.f32x4Mul).v(simd.f32x4Add).set(a);
      });
    });
    f.get(L.tp);
    hsum4(f, L.acc, simd.f32x4Add);
    f.get(scale).v(simd.f32x4Splat).v(simd.f32x4Mul);
    vstore(f);
    f.get(L.kr[3]).get(L.rowBytes).emit(op.i32Add).set(L.kp);
  });
}

/** att[0..nPos) = exp(att - max) unnormalized; L.inv = 1 / sum. The padding lanes get -inf, so exp gives ~0. */
function softmax(f: FuncBuilder, L: Locals, att: number): void {
  // pad: while tp < end4 (tp = attEnd)
  f.get(L.attEnd).set(L.tp);
  f.emit(op.block, 0x40, op.loop, 0x40).get(L.tp).get(L.end4).emit(op.i32GeU, op.brIf, 1);
  f.get(L.tp);
  f32const(f, -Infinity).f32store().inc(L.tp, 4).emit(op.br, 0, op.end, op.end);
  f32const(f, -Infinity).v(simd.f32x4Splat).set(L.mv);
  f.get(att).set(L.tp);
  f.doWhile(L.tp, 16, L.end4, () => {
    f.get(L.mv).get(L.tp).vload().v(simd.f32x4Max).set(L.mv);
  });
  reduce(f, L.mv, op.f32Max);
  f.v(simd.f32x4Splat).set(L.mv);
  f.vzero().set(L.sv);
  f.get(att).set(L.tp);
  f.doWhile(L.tp, 16, L.end4, () => {
    f.get(L.tp).vload().get(L.mv).v(simd.f32x4Sub).set(L.x);
    f.get(L.tp);
    expV(f, L.x, L.n);
    f.tee(L.x);
    vstore(f);
    f.get(L.sv).get(L.x).v(simd.f32x4Add).set(L.sv);
  });
  f32const(f, 1);
  reduce(f, L.sv, op.f32Add);
  f.emit(op.f32Div).set(L.inv);
}

/** out[head] = inv * sum_t att[t] v[t], 16 floats (four accumulators) of the head at a time. */
function weightedSum(f: FuncBuilder, L: Locals, att: number): void {
  f.i32(0).set(L.i);
  f.doWhile(L.i, 64, L.hdBytes, () => {
    for (const a of L.acc) f.vzero().set(a);
    f.get(L.vp0).get(L.i).emit(op.i32Add).set(L.vp);
    f.get(att).set(L.tp);
    f.doWhile(L.tp, 4, L.attEnd, () => {
      f.get(L.tp).f32load().v(simd.f32x4Splat).set(L.qv);
      L.acc.forEach((a, j) => {
        f.get(a).get(L.vp).vload(16 * j).get(L.qv).v(simd.f32x4Mul).v(simd.f32x4Add).set(a);
      });
      f.get(L.vp).get(L.rowBytes).emit(op.i32Add).set(L.vp);
    });
    f.get(L.inv).v(simd.f32x4Splat).set(L.qv);
    L.acc.forEach((a, j) => {
      f.get(L.outp).get(L.i).emit(op.i32Add).get(a).get(L.qv).v(simd.f32x4Mul);
      vstore(f, 16 * j);
    });
  });
}

/** The attention module's bytes (each KV cache has its own shared memory). */
export function attentionModuleBytes(maxPages: number): Uint8Array<ArrayBuffer> {
  return assembleModule([{ name: "attention_rows", fn: attentionRows() }], true, 1, maxPages);
}
