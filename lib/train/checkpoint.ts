import type { LlamaTrainConfig } from "./model/config";
import { paramCount } from "./model/config";
import type { TrainHyper } from "./trainer";

const MAGIC = "RLHFCKPT";
// Version 2: the batch of step k comes from lib/numerics' xoshiro128** seeded with deriveSeed(seed, k).
// Version 1 drew it from mulberry32, so resuming one would train on other batches than the run it continues.
const VERSION = 2;

export interface CheckpointHeader {
  model: LlamaTrainConfig;
  hyper: TrainHyper;
  step: number;
  adamT: number;
  lossHistory: number[];
  /** Anything else the caller needs to resume (e.g. the CLI's options). JSON only. */
  extra: Record<string, unknown>;
}

export interface Checkpoint {
  header: CheckpointHeader;
  params: Float32Array;
  m: Float32Array;
  v: Float32Array;
}

/**
 * Layout: "RLHFCKPT" | u32 version | u32 header bytes | JSON header | zero pad
 * to 4 | params f32 | adam m f32 | adam v f32 (little-endian).
 */
export function serializeCheckpoint(ck: Checkpoint): Uint8Array {
  const n = paramCount(ck.header.model);
  for (const [name, arr] of [["params", ck.params], ["m", ck.m], ["v", ck.v]] as const) {
    if (arr.length !== n) throw new Error(`checkpoint ${name} has ${arr.length} values, model needs ${n}`);
  }
  const json = new TextEncoder().encode(JSON.stringify(ck.header));
  const headerEnd = 16 + json.length;
  const dataStart = Math.ceil(headerEnd / 4) * 4;
  const out = new Uint8Array(dataStart + 3 * n * 4);
  out.set(new TextEncoder().encode(MAGIC), 0);
  const dv = new DataView(out.buffer);
  dv.setUint32(8, VERSION, true);
  dv.setUint32(12, json.length, true);
  out.set(json, 16);
  let at = dataStart;
  for (const arr of [ck.params, ck.m, ck.v]) {
    out.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), at);
    at += arr.byteLength;
  }
  return out;
}

export function deserializeCheckpoint(bytes: Uint8Array): Checkpoint {
  if (bytes.length < 16 || new TextDecoder().decode(bytes.subarray(0, 8)) !== MAGIC) {
    throw new Error("not a training checkpoint (bad magic)");
  }
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const version = dv.getUint32(8, true);
  if (version === 1) {
    throw new Error("checkpoint version 1 comes from the trainer's old random generator (mulberry32): resuming it would train on other batches than the run it continues; start over (train-demo --fresh)");
  }
  if (version !== VERSION) throw new Error(`checkpoint version ${version} is not supported (expected ${VERSION})`);
  const len = dv.getUint32(12, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(16, 16 + len))) as CheckpointHeader;
  const n = paramCount(header.model);
  const dataStart = Math.ceil((16 + len) / 4) * 4;
  if (bytes.length !== dataStart + 3 * n * 4) {
    throw new Error(`checkpoint is ${bytes.length} bytes, expected ${dataStart + 3 * n * 4} (truncated write?)`);
  }
  // Copy out (the source may be a Node Buffer at an unaligned offset, whose
  // own .slice() is a view, hence the Uint8Array method).
  const read = (k: number) => new Float32Array(Uint8Array.prototype.slice.call(bytes, dataStart + k * n * 4, dataStart + (k + 1) * n * 4).buffer);
  return { header, params: read(0), m: read(1), v: read(2) };
}
