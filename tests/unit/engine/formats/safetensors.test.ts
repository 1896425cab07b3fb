import { describe, expect, it } from "vitest";
import { readSafetensors, readShardedSafetensors } from "@/lib/engine/formats/safetensors/read";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { encodeF16 } from "@/lib/engine/tensor/quantize";

/** Builds a safetensors file by hand (header JSON padded with spaces to 8 bytes). */
function build(entries: { name: string; dtype: string; shape: number[]; data: Uint8Array }[], pad = 0): Uint8Array {
  const header: Record<string, unknown> = { __metadata__: { format: "pt" } };
  let off = 0;
  for (const e of entries) {
    header[e.name] = { dtype: e.dtype, shape: e.shape, data_offsets: [off, off + e.data.length] };
    off += e.data.length;
  }
  let json = JSON.stringify(header);
  while ((8 + json.length + pad) % 8) json += " ";
  json += " ".repeat(pad);
  const out = new Uint8Array(8 + json.length + off);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(new TextEncoder().encode(json), 8);
  let p = 8 + json.length;
  for (const e of entries) {
    out.set(e.data, p);
    p += e.data.length;
  }
  return out;
}

const f32 = (xs: number[]) => new Uint8Array(new Float32Array(xs).buffer);
const bf16 = (xs: number[]) => {
  const u = new Uint32Array(new Float32Array(xs).buffer);
  return new Uint8Array(new Uint16Array(Array.from(u, (v) => v >>> 16)).buffer);
};

describe("safetensors reader", () => {
  it("reads F32 (as a zero-copy view when aligned), F16 and BF16 tensors and the metadata", () => {
    const file = build([
      { name: "w", dtype: "F32", shape: [2, 2], data: f32([1, -2, 3.5, 4]) },
      { name: "h", dtype: "F16", shape: [3], data: encodeF16(new Float32Array([0.5, -1, 65504])) },
      { name: "b", dtype: "BF16", shape: [2], data: bf16([1.5, -256]) },
    ]);
    const st = readSafetensors(file);
    expect(st.metadata).toEqual({ format: "pt" });
    const w = st.tensors.get("w")!;
    expect(w.shape).toEqual([2, 2]);
    const wf = tensorToFloat32(w);
    expect(Array.from(wf)).toEqual([1, -2, 3.5, 4]);
    expect(wf.buffer).toBe(file.buffer);
    expect(Array.from(tensorToFloat32(st.tensors.get("h")!))).toEqual([0.5, -1, 65504]);
    expect(Array.from(tensorToFloat32(st.tensors.get("b")!))).toEqual([1.5, -256]);
  });

  it("copies F32 data that is not 4-byte aligned", () => {
    const file = build([
      { name: "h", dtype: "F16", shape: [1], data: encodeF16(new Float32Array([2])) },
      { name: "w", dtype: "F32", shape: [2], data: f32([7, 8]) },
    ]);
    const w = tensorToFloat32(readSafetensors(file).tensors.get("w")!);
    expect(Array.from(w)).toEqual([7, 8]);
    expect(w.buffer).not.toBe(file.buffer);
  });

  it("merges shards through model.safetensors.index.json", () => {
    const s1 = build([{ name: "a", dtype: "F32", shape: [1], data: f32([1]) }]);
    const s2 = build([{ name: "b", dtype: "F32", shape: [1], data: f32([2]) }]);
    const idx = { weight_map: { a: "model-00001-of-00002.safetensors", b: "model-00002-of-00002.safetensors" } };
    const st = readShardedSafetensors(idx, new Map([["model-00001-of-00002.safetensors", s1], ["model-00002-of-00002.safetensors", s2]]));
    expect(tensorToFloat32(st.tensors.get("b")!)[0]).toBe(2);
    expect(() => readShardedSafetensors(idx, new Map([["model-00001-of-00002.safetensors", s1]]))).toThrow(
      /shard "model-00002-of-00002.safetensors" \(holding "b"\) was not provided/,
    );
  });

  it("refuses truncated files, bad JSON, unknown dtypes and inconsistent offsets, naming the file", () => {
    const good = build([{ name: "w", dtype: "F32", shape: [2], data: f32([1, 2]) }]);
    expect(() => readSafetensors(good.subarray(0, 4), "m.safetensors")).toThrow(/m.safetensors: file is truncated/);
    expect(() => readSafetensors(good.subarray(0, 20), "m.safetensors")).toThrow(/header length .* does not fit/);
    expect(() => readSafetensors(good.subarray(0, good.length - 4))).toThrow(/tensor "w" ends at byte 8 .* \(file truncated\)/);
    const bad = good.slice();
    bad[8] = "!".charCodeAt(0);
    expect(() => readSafetensors(bad)).toThrow(/header is not valid JSON/);
    expect(() => readSafetensors(build([{ name: "w", dtype: "I64", shape: [1], data: new Uint8Array(8) }]))).toThrow(/unsupported dtype "I64"/);
    expect(() => readSafetensors(build([{ name: "w", dtype: "F32", shape: [3], data: f32([1, 2]) }]))).toThrow(/spans 8 bytes but F32\[3\] needs 12/);
  });
});
