/**
 * Safetensors reader. Layout: u64 LE header length N, N bytes of JSON
 * `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__? }`,
 * then the data block; offsets are relative to the data block.
 */
import { EngineError, check } from "@/lib/engine/errors";
import type { DType, RawTensor } from "@/lib/engine/tensor/dtype";
import { byteSize, numel } from "@/lib/engine/tensor/dtype";

/** A parsed safetensors file: tensors by name (views into the input buffer) and free-form metadata. */
export interface SafetensorsFile {
  readonly tensors: Map<string, RawTensor>;
  readonly metadata: Record<string, string>;
}

const DTYPES: Record<string, DType> = { F32: "F32", F16: "F16", BF16: "BF16" };

function asBytes(input: Uint8Array | ArrayBuffer): Uint8Array {
  return input instanceof Uint8Array ? input : new Uint8Array(input);
}

/**
 * Parses one safetensors file. Tensor bytes are views into `input` (no copy).
 * @param source names the file in error messages.
 * @throws EngineError on a truncated file, bad JSON, unsupported dtype or inconsistent offsets.
 */
export function readSafetensors(input: Uint8Array | ArrayBuffer, source = "model.safetensors"): SafetensorsFile {
  const bytes = asBytes(input);
  check(bytes.byteLength >= 8, `file is truncated: ${bytes.byteLength} bytes, need at least 8 for the header length`, source);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLen = Number(dv.getBigUint64(0, true));
  check(
    headerLen > 0 && 8 + headerLen <= bytes.byteLength,
    `header length ${headerLen} does not fit in a ${bytes.byteLength}-byte file (truncated or not safetensors)`,
    source,
  );
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + headerLen)));
  } catch (e) {
    throw new EngineError(`header is not valid JSON (${(e as Error).message})`, source);
  }
  check(header !== null && typeof header === "object" && !Array.isArray(header), "header must be a JSON object", source);
  const dataStart = 8 + headerLen;
  const dataLen = bytes.byteLength - dataStart;
  const tensors = new Map<string, RawTensor>();
  let metadata: Record<string, string> = {};
  for (const [name, entry] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      metadata = (entry ?? {}) as Record<string, string>;
      continue;
    }
    const e = entry as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    check(e && typeof e === "object", `tensor "${name}" entry must be an object`, source);
    const dtype = typeof e.dtype === "string" ? DTYPES[e.dtype] : undefined;
    check(dtype, `tensor "${name}" has unsupported dtype ${JSON.stringify(e.dtype)} (supported: F32, F16, BF16)`, source);
    check(
      Array.isArray(e.shape) && e.shape.every((d) => Number.isInteger(d) && d >= 0),
      `tensor "${name}" shape must be an array of non-negative integers, got ${JSON.stringify(e.shape)}`,
      source,
    );
    const offs = e.data_offsets;
    check(
      Array.isArray(offs) && offs.length === 2 && offs.every((o) => Number.isInteger(o) && o >= 0),
      `tensor "${name}" data_offsets must be [begin, end], got ${JSON.stringify(offs)}`,
      source,
    );
    const [begin, end] = offs as [number, number];
    const shape = e.shape as number[];
    const want = byteSize(dtype, numel(shape));
    check(end - begin === want, `tensor "${name}" spans ${end - begin} bytes but ${dtype}${JSON.stringify(shape)} needs ${want}`, source);
    check(end <= dataLen, `tensor "${name}" ends at byte ${end} of a ${dataLen}-byte data block (file truncated)`, source);
    tensors.set(name, { name, dtype, shape, bytes: bytes.subarray(dataStart + begin, dataStart + end) });
  }
  return { tensors, metadata };
}

/**
 * Merges a sharded checkpoint. `indexJson` is model.safetensors.index.json
 * (`{ weight_map: { tensorName: shardFile } }`); `shards` maps shard file names to their bytes.
 * @throws EngineError when a shard is missing or a tensor is not in its named shard.
 */
export function readShardedSafetensors(
  indexJson: unknown,
  shards: ReadonlyMap<string, Uint8Array | ArrayBuffer>,
  source = "model.safetensors.index.json",
): SafetensorsFile {
  const idx = indexJson as { weight_map?: unknown } | null;
  check(idx && typeof idx === "object" && idx.weight_map && typeof idx.weight_map === "object", "missing weight_map object", source);
  const weightMap = idx.weight_map as Record<string, unknown>;
  const parsed = new Map<string, SafetensorsFile>();
  const tensors = new Map<string, RawTensor>();
  const metadata: Record<string, string> = {};
  for (const [name, file] of Object.entries(weightMap)) {
    check(typeof file === "string", `weight_map["${name}"] must be a file name`, source);
    let shard = parsed.get(file);
    if (!shard) {
      const buf = shards.get(file);
      check(buf, `shard "${file}" (holding "${name}") was not provided`, source);
      shard = readSafetensors(buf, file);
      parsed.set(file, shard);
      Object.assign(metadata, shard.metadata);
    }
    const t = shard.tensors.get(name);
    check(t, `tensor "${name}" is not in shard "${file}"`, source);
    tensors.set(name, t);
  }
  return { tensors, metadata };
}
