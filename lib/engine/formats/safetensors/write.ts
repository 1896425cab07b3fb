/**
 * Writes the safetensors format: u64 little-endian header length, a JSON
 * header `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__ }`
 * padded with spaces to a multiple of 8, then the raw little-endian tensor
 * bytes in header order. F32 only: the trainer's weights are f32.
 */
import { check } from "@/lib/engine/errors";

export interface SafetensorsEntry {
  name: string;
  shape: readonly number[];
  data: Float32Array;
}

/** Serializes tensors (in the given order) to one safetensors file's bytes. */
export function writeSafetensors(tensors: readonly SafetensorsEntry[], metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  const seen = new Set<string>();
  for (const t of tensors) {
    check(!seen.has(t.name), `tensor name ${t.name} appears twice`, "safetensors");
    seen.add(t.name);
    const count = t.shape.reduce((a, b) => a * b, 1);
    check(t.shape.every((n) => Number.isInteger(n) && n >= 0), `shape of ${t.name} must be non-negative integers, got [${t.shape.join(", ")}]`, "safetensors");
    check(count === t.data.length, `${t.name} has shape [${t.shape.join(", ")}] (${count} values) but ${t.data.length} values`, "safetensors");
    header[t.name] = { dtype: "F32", shape: [...t.shape], data_offsets: [offset, offset + t.data.byteLength] };
    offset += t.data.byteLength;
  }
  let json = JSON.stringify(header);
  // Pad so tensor data starts 8-byte aligned (8 bytes of length + header).
  json += " ".repeat((8 - (new TextEncoder().encode(json).length % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors) {
    // Raw copy on little-endian hosts; element-wise little-endian writes elsewhere.
    const bytes = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    if (littleEndianHost) out.set(bytes, at);
    else for (let i = 0; i < t.data.length; i++) view.setFloat32(at + i * 4, t.data[i]!, true);
    at += t.data.byteLength;
  }
  return out;
}

const littleEndianHost = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
