/**
 * A tiny WebAssembly binary assembler: just enough to emit the engine's SIMD
 * kernels from TypeScript (no wabt, no build step). A module imports one
 * memory ("env" "memory") and exports functions whose params and locals are
 * i32 / f32 / v128. Opcode numbers follow the core and SIMD specs.
 */

export const I32 = 0x7f;
export const F32 = 0x7d;
export const F64 = 0x7c;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof F64 | typeof V128;

/** Core opcodes used by the kernels. */
export const op = {
  block: 0x02, loop: 0x03, if: 0x04, else: 0x05, end: 0x0b, br: 0x0c, brIf: 0x0d, return: 0x0f, call: 0x10,
  localGet: 0x20, localSet: 0x21, localTee: 0x22,
  i32Load: 0x28, f32Load: 0x2a, f64Load: 0x2b, i32Store: 0x36, f32Store: 0x38,
  f64Add: 0xa0, f64Div: 0xa3, f64Sqrt: 0x9f, f64ConvertI32U: 0xb8, f64Const: 0x44,
  i32Const: 0x41, f32Const: 0x43,
  i32Eqz: 0x45, i32LtU: 0x49, i32LeU: 0x4d, i32GeU: 0x4f,
  i32Add: 0x6a, i32Sub: 0x6b, i32Mul: 0x6c, i32And: 0x71, i32Shl: 0x74, i32ShrU: 0x76,
  f32Add: 0x92, f32Mul: 0x94,
  f32Sub: 0x93, f32Div: 0x95, f32Max: 0x97,
  f32Eq: 0x5b, f32Ne: 0x5c, f32Lt: 0x5d, f32Ge: 0x60, select: 0x1b,
  i32ReinterpretF32: 0xbc, f32ReinterpretI32: 0xbe,
} as const;

/** SIMD opcodes (after the 0xfd prefix). */
export const simd = {
  v128Load: 0x00, v128Load8x8S: 0x01, v128Load16x4U: 0x04, v128Store: 0x0b, v128Const: 0x0c,
  f32x4Splat: 0x13, f32x4ExtractLane: 0x1f,
  i8x16LtS: 0x25, i32x4GtS: 0x3b, v128And: 0x4e, v128Or: 0x50, v128Xor: 0x51, i8x16Abs: 0x60, i8x16Sub: 0x71,
  i32x4Shl: 0xab,
  i32x4ExtaddPairwiseI16x8S: 0x7e,
  i16x8ExtmulLowI8x16S: 0x9c, i16x8ExtmulHighI8x16S: 0x9d,
  i32x4Add: 0xae, i32x4DotI16x8S: 0xba,
  f32x4Add: 0xe4, f32x4Mul: 0xe6,
  f32x4ConvertI32x4S: 0xfa,
  i8x16Shuffle: 0x0d, f32x4Nearest: 0x6a, f32x4Trunc: 0x69, f32x4Ge: 0x46,
  f32x4Abs: 0xe0, f32x4Neg: 0xe1, f32x4Div: 0xe7, f32x4Min: 0xe8, f32x4Pmin: 0xea, f32x4Pmax: 0xeb, i8x16NarrowI16x8S: 0x65, i16x8NarrowI32x4S: 0x85,
  f32x4Sub: 0xe5, f32x4Max: 0xe9, i32x4TruncSatF32x4S: 0xf8,
  f64x2Splat: 0x14, f64x2ExtractLane: 0x21, f64x2Add: 0xf0, f64x2Mul: 0xf2,
  f64x2PromoteLowF32x4: 0x5f, f32x4DemoteF64x2Zero: 0x5e,
  // relaxed SIMD: exact while the second operand lies in [0, 127] (see matmul-module.ts)
  i16x8RelaxedDotI8x16I7x16S: 0x112,
} as const;

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n) b |= 0x80;
    out.push(b);
  } while (n);
  return out;
}

/** Signed LEB128 (32-bit). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  n |= 0;
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

function str(s: string): number[] {
  return [...uleb(s.length), ...new TextEncoder().encode(s)];
}

function section(id: number, body: number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

function vec(items: number[][]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** Builds one function body; locals are numbered after the params. */
export class FuncBuilder {
  readonly code: number[] = [];
  private readonly locals: ValType[] = [];

  constructor(readonly params: ValType[]) {}

  /** Declares a local and returns its index. */
  local(t: ValType): number {
    this.locals.push(t);
    return this.params.length + this.locals.length - 1;
  }

  emit(...bytes: number[]): this {
    this.code.push(...bytes);
    return this;
  }
  get(i: number): this { return this.emit(op.localGet, ...uleb(i)); }
  set(i: number): this { return this.emit(op.localSet, ...uleb(i)); }
  tee(i: number): this { return this.emit(op.localTee, ...uleb(i)); }
  i32(n: number): this { return this.emit(op.i32Const, ...sleb(n)); }
  /** A SIMD instruction, with optional immediates (memarg or lane). */
  v(opcode: number, ...imm: number[]): this { return this.emit(0xfd, ...uleb(opcode), ...imm); }
  /** v128.load with byte offset `off` (alignment hint 16 bytes). */
  vload(off = 0): this { return this.v(simd.v128Load, 4, ...uleb(off)); }
  f32load(off = 0): this { return this.emit(op.f32Load, 2, ...uleb(off)); }
  f32store(off = 0): this { return this.emit(op.f32Store, 2, ...uleb(off)); }
  vzero(): this { return this.v(simd.v128Const, ...new Array<number>(16).fill(0)); }
  /** v128.const with the same 32-bit pattern in all four lanes. */
  vsplat32(bits: number): this {
    const b = [bits & 0xff, (bits >>> 8) & 0xff, (bits >>> 16) & 0xff, bits >>> 24];
    return this.v(simd.v128Const, ...b, ...b, ...b, ...b);
  }
  /** i32.atomic.rmw.add (threads): [address, value] -> the old value; the address is 4-byte aligned. */
  i32AtomicAdd(): this { return this.emit(0xfe, 0x1e, 2, 0); }
  /** local[i] += step (i32). */
  inc(i: number, step: number): this { return this.get(i).i32(step).emit(op.i32Add).set(i); }
  /**
   * A do-while loop: body runs, then `local[i] += step` and repeats while
   * local[i] < local[limit] (unsigned). The caller guarantees one iteration is valid.
   */
  doWhile(i: number, step: number, limit: number, body: () => void): this {
    this.emit(op.loop, 0x40);
    body();
    this.get(i).i32(step).emit(op.i32Add).tee(i).get(limit).emit(op.i32LtU, op.brIf, 0, op.end);
    return this;
  }

  /** The encoded body: local declarations (one entry per local), code, end. */
  encode(): number[] {
    const decls = this.locals.map((t) => [1, t]);
    const body = [...vec(decls), ...this.code, op.end];
    return [...uleb(body.length), ...body];
  }
}

/** v128.const of four equal f32 lanes. */
export function vf32(f: FuncBuilder, x: number): FuncBuilder {
  return f.v(simd.v128Const, ...new Uint8Array(new Float32Array([x, x, x, x]).buffer));
}

/** v128.const of four equal i32 lanes. */
export function vi32(f: FuncBuilder, x: number): FuncBuilder {
  return f.v(simd.v128Const, ...new Uint8Array(new Int32Array([x, x, x, x]).buffer));
}

export function f32const(f: FuncBuilder, x: number): FuncBuilder {
  return f.emit(op.f32Const, ...new Uint8Array(new Float32Array([x]).buffer));
}

/** i8x16.shuffle picking 32-bit lanes (0-3 from the first operand, 4-7 from the second). */
export function shuffle(f: FuncBuilder, lanes: number[]): FuncBuilder {
  return f.v(simd.i8x16Shuffle, ...lanes.flatMap((l) => [4 * l, 4 * l + 1, 4 * l + 2, 4 * l + 3]));
}

/**
 * Pushes [sum(a0), sum(a1), sum(a2), sum(a3)] of four v128 locals' lanes, with
 * `add` (f32x4.add or i32x4.add) as the lane sum; clobbers a0 and a2.
 */
export function hsum4(f: FuncBuilder, a: readonly number[], add: number): void {
  const pair = (x: number, y: number) => {
    f.get(x).get(y);
    shuffle(f, [0, 4, 1, 5]).get(x).get(y);
    shuffle(f, [2, 6, 3, 7]).v(add).set(x);
  };
  pair(a[0], a[1]);
  pair(a[2], a[3]);
  f.get(a[0]).get(a[2]);
  shuffle(f, [0, 1, 4, 5]).get(a[0]).get(a[2]);
  shuffle(f, [2, 3, 6, 7]).v(add);
}

/** local[dst] = local[base] + local[a] * local[b] (i32). */
export function addMul(f: FuncBuilder, dst: number, base: number, a: number, b: number): void {
  f.get(base).get(a).get(b).emit(op.i32Mul, op.i32Add).set(dst);
}

/** v128.store (address and value on the stack) with byte offset `off`. */
export function vstore(f: FuncBuilder, off = 0): FuncBuilder {
  return f.v(simd.v128Store, 4, ...uleb(off));
}

/**
 * Assembles a module importing env.memory (shared when `shared`, limits
 * minPages..maxPages) and exporting `funcs` under their names.
 */
export function assembleModule(
  funcs: ReadonlyArray<{ name: string; fn: FuncBuilder }>, shared: boolean, minPages: number, maxPages: number,
): Uint8Array<ArrayBuffer> {
  const types = vec(funcs.map(({ fn }) => [0x60, ...vec(fn.params.map((p) => [p])), 0]));
  const limits = [shared ? 0x03 : 0x01, ...uleb(minPages), ...uleb(maxPages)];
  const imports = vec([[...str("env"), ...str("memory"), 0x02, ...limits]]);
  const fnSection = vec(funcs.map((_, i) => uleb(i)));
  const exports = vec(funcs.map(({ name }, i) => [...str(name), 0x00, ...uleb(i)]));
  const code = vec(funcs.map(({ fn }) => fn.encode()));
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, types), ...section(2, imports), ...section(3, fnSection), ...section(7, exports), ...section(10, code),
  ]);
}
