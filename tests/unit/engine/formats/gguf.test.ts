import { describe, expect, it } from "vitest";
import { EngineError } from "@/lib/engine/errors";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import { GgufValueType, gguf } from "@/lib/engine/formats/gguf/types";
import { writeGguf } from "@/lib/engine/formats/gguf/write";
import { tensorToFloat32, toFloat32 } from "@/lib/engine/tensor/dtype";
import { quantizeQ4_KRef, quantizeQ6_KRef } from "@/lib/engine/tensor/k-quantize";
import { quantizeQ5_0 } from "@/lib/engine/tensor/quantize";
import { randn, seeded } from "../golden/random-model";

const meta = [
  ["general.architecture", gguf.str("llama")],
  ["general.alignment", gguf.u32(64)],
  ["u32", gguf.u32(4000000000)],
  ["i32", gguf.i32(-7)],
  ["f32", gguf.f32(0.5)],
  ["bool", gguf.bool(true)],
  ["u64.big", gguf.u64(2n ** 60n)],
  ["u8", { type: GgufValueType.UINT8, value: 255 }],
  ["i16", { type: GgufValueType.INT16, value: -300 }],
  ["f64", { type: GgufValueType.FLOAT64, value: Math.PI }],
  ["i64", { type: GgufValueType.INT64, value: -5 }],
  ["tokenizer.ggml.tokens", gguf.arr(GgufValueType.STRING, ["<unk>", "héllo", "▁world"])],
  ["tokenizer.ggml.scores", gguf.arr(GgufValueType.FLOAT32, [0, -1.5, 2])],
  ["tokenizer.chat_template", gguf.str("{% for m in messages %}{{ m.content }}{% endfor %}")],
] as const;

function sample() {
  const rand = seeded(7);
  const a = randn(rand, 3 * 64, 1);
  const b = randn(rand, 2 * 32, 1);
  const c = randn(rand, 5, 1);
  const bytes = writeGguf(meta, [
    { name: "a", shape: [3, 64], data: a, dtype: "F32" },
    { name: "b.f16", shape: [2, 32], data: b, dtype: "F16" },
    { name: "b.q8", shape: [2, 32], data: b, dtype: "Q8_0" },
    { name: "c", shape: [5], data: c, dtype: "F32" },
  ]);
  return { bytes, a, b, c };
}

describe("GGUF write -> read", () => {
  it("round-trips metadata of every type, including arrays and 64-bit values", () => {
    const f = readGguf(sample().bytes);
    expect(f.version).toBe(3);
    expect(f.alignment).toBe(64);
    expect(f.metadata["general.architecture"]).toBe("llama");
    expect(f.metadata["u32"]).toBe(4000000000);
    expect(f.metadata["i32"]).toBe(-7);
    expect(f.metadata["f32"]).toBe(0.5);
    expect(f.metadata["bool"]).toBe(true);
    expect(f.metadata["u64.big"]).toBe(2n ** 60n);
    expect(f.metadata["u8"]).toBe(255);
    expect(f.metadata["i16"]).toBe(-300);
    expect(f.metadata["f64"]).toBe(Math.PI);
    expect(f.metadata["i64"]).toBe(-5);
    expect(f.metadata["tokenizer.ggml.tokens"]).toEqual(["<unk>", "héllo", "▁world"]);
    expect(f.metadata["tokenizer.ggml.scores"]).toEqual([0, -1.5, 2]);
    expect(f.metadataTypes["tokenizer.ggml.scores"]).toBe(GgufValueType.ARRAY);
    expect(f.arrayItemTypes["tokenizer.ggml.scores"]).toBe(GgufValueType.FLOAT32);
  });

  it("round-trips tensors: F32 exactly, F16 within f16 rounding, Q8_0 within half a quantization step", () => {
    const { bytes, a, b, c } = sample();
    const f = readGguf(bytes);
    expect([...f.tensors.keys()]).toEqual(["a", "b.f16", "b.q8", "c"]);
    expect(f.tensors.get("a")!.shape).toEqual([3, 64]);
    expect(f.tensors.get("a")!.bytes.byteOffset % 64).toBe(0);
    expect(tensorToFloat32(f.tensors.get("a")!)).toEqual(a);
    expect(tensorToFloat32(f.tensors.get("c")!)).toEqual(c);
    const f16 = tensorToFloat32(f.tensors.get("b.f16")!);
    b.forEach((x, i) => expect(Math.abs(f16[i] - x)).toBeLessThanOrEqual(Math.abs(x) * 2 ** -11 + 1e-7));
    const q8 = tensorToFloat32(f.tensors.get("b.q8")!);
    for (let blk = 0; blk < 2; blk++) {
      const amax = Math.max(...Array.from(b.subarray(blk * 32, blk * 32 + 32), Math.abs));
      for (let j = 0; j < 32; j++) expect(Math.abs(q8[blk * 32 + j] - b[blk * 32 + j])).toBeLessThanOrEqual((amax / 127) * 0.51);
    }
  });

  it("gives a zero-copy Float32Array view for aligned F32 tensors", () => {
    const { bytes } = sample();
    const t = readGguf(bytes).tensors.get("a")!;
    expect(tensorToFloat32(t).buffer).toBe(bytes.buffer);
  });

  it("dequantizes Q4_0 blocks (low nibbles first, offset 8)", () => {
    // One block: d = 0.5 (f16 0x3800); byte j holds q[j] (low) and q[j+16] (high).
    const bytes = new Uint8Array(18);
    bytes[0] = 0x00;
    bytes[1] = 0x38;
    for (let j = 0; j < 16; j++) bytes[2 + j] = (j & 0xf) | (((15 - j) & 0xf) << 4);
    const x = tensorToFloat32({ name: "q4", dtype: "Q4_0", shape: [32], bytes });
    for (let j = 0; j < 16; j++) {
      expect(x[j]).toBe((j - 8) * 0.5);
      expect(x[j + 16]).toBe((15 - j - 8) * 0.5);
    }
  });
});

describe("GGUF K-quant tensors", () => {
  const rand = seeded(11);
  const w = randn(rand, 4 * 256, 0.05);
  const bytes = writeGguf(meta, [
    { name: "w.q4k", shape: [4, 256], data: w, dtype: "Q4_K" },
    { name: "w.q6k", shape: [2, 512], data: w, dtype: "Q6_K" },
    { name: "w.q50", shape: [8, 128], data: w, dtype: "Q5_0" },
  ]);

  it("writes Q4_K / Q6_K / Q5_0 with ggml's type ids and the reference quantizers' bytes", () => {
    const f = readGguf(bytes);
    const t = (n: string) => f.tensors.get(n)!;
    expect([t("w.q4k").dtype, t("w.q6k").dtype, t("w.q50").dtype]).toEqual(["Q4_K", "Q6_K", "Q5_0"]);
    expect([t("w.q4k").shape, t("w.q6k").shape]).toEqual([[4, 256], [2, 512]]);
    expect(Buffer.from(t("w.q4k").bytes).equals(quantizeQ4_KRef(w))).toBe(true);
    expect(Buffer.from(t("w.q6k").bytes).equals(quantizeQ6_KRef(w))).toBe(true);
    expect(Buffer.from(t("w.q50").bytes).equals(quantizeQ5_0(w))).toBe(true);
    expect(tensorToFloat32(t("w.q6k"))).toEqual(toFloat32("Q6_K", quantizeQ6_KRef(w), w.length));
  });

  it("stores ggml type ids 12 (Q4_K), 14 (Q6_K) and 6 (Q5_0) in the tensor infos", () => {
    for (const [name, id] of [["w.q4k", 12], ["w.q6k", 14], ["w.q50", 6]] as const) {
      const at = Buffer.from(bytes).indexOf(Buffer.from(name)) + name.length;
      const nDims = new DataView(bytes.buffer, at).getUint32(0, true);
      expect(new DataView(bytes.buffer, at + 4 + 8 * nDims).getUint32(0, true)).toBe(id);
    }
  });

  it("refuses to write a K-quant row that is not a multiple of 256 values", () => {
    expect(() => writeGguf([], [{ name: "w", shape: [2, 128], data: new Float32Array(256), dtype: "Q4_K" }])).toThrow(
      /tensor "w": Q4_K row length 128 is not a multiple of 256/,
    );
  });
});

/** The file `sample()` writes with tensor "c"'s ggml type id replaced by `id`. */
function withTypeOfC(id: number): Uint8Array {
  const b = sample().bytes.slice();
  const at = Buffer.from(b).indexOf(Buffer.from([1, 0, 0, 0, 0, 0, 0, 0, 0x63])) + 9; // name "c" (length 1)
  new DataView(b.buffer).setUint32(at + 4 + 8, id, true); // after n_dims (u32) and ne[0] (u64)
  return b;
}

describe("GGUF bad input", () => {
  it("refuses a tensor type it does not read, naming the tensor and the type", () => {
    expect(() => readGguf(withTypeOfC(10), "m.gguf")).toThrow(/m.gguf: tensor "c" has ggml type Q2_K \(10\), which the engine does not read \(supported: .*Q4_K.*\)/);
    expect(() => readGguf(withTypeOfC(99), "m.gguf")).toThrow(/tensor "c" has ggml type 99,/);
  });

  it("refuses a K-quant tensor whose rows are not whole super-blocks", () => {
    // "c" has 5 values: as Q6_K it would need rows of 256
    expect(() => readGguf(withTypeOfC(14))).toThrow(/tensor "c" is Q6_K but its row length 5 is not a multiple of 256/);
  });

  it("refuses a file with the wrong magic", () => {
    expect(() => readGguf(new Uint8Array(64), "x.gguf")).toThrow(/x.gguf: bad magic/);
  });

  it("refuses an unsupported version", () => {
    const b = sample().bytes.slice();
    new DataView(b.buffer).setUint32(4, 9, true);
    expect(() => readGguf(b)).toThrow(/unsupported GGUF version 9/);
  });

  it.each([10, 100, 300])("names what was being read when the file is truncated to %i bytes", (n) => {
    expect(() => readGguf(sample().bytes.subarray(0, n))).toThrow(EngineError);
    expect(() => readGguf(sample().bytes.subarray(0, n))).toThrow(/truncated|larger than the file/);
  });

  it("refuses a file whose tensor data is cut short, naming the tensor", () => {
    const b = sample().bytes;
    expect(() => readGguf(b.subarray(0, b.length - 50))).toThrow(/tensor "c" needs bytes .* \(truncated\)/);
  });

  it("refuses to write data that does not match the shape", () => {
    expect(() => writeGguf([], [{ name: "w", shape: [2, 3], data: new Float32Array(5), dtype: "F32" }])).toThrow(/data has 5 values/);
    expect(() => writeGguf([], [{ name: "w", shape: [1, 30], data: new Float32Array(30), dtype: "Q8_0" }])).toThrow(/not a multiple of 32/);
  });
});
