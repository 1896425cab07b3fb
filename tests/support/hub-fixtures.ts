/**
 * Real tiny models to serve from the fake Hub: the tiny Llama HF folder (a
 * byte-level BPE tokenizer and chat template), the same model as a GGUF
 * file, and as a sharded folder (index + two safetensors shards).
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { readSafetensors } from "@/lib/engine/formats/safetensors/read";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { convertHfFolderToGguf } from "@/lib/model-files/convert";
import type { HubSettings } from "@/lib/hub/settings";
import { writeTinyModel } from "./tiny-model";

export interface TinyHubModels {
  /** The tiny model's folder on disk, to compare against. */
  dir: string;
  folder: Record<string, Buffer>;
  gguf: Buffer;
  sharded: Record<string, Buffer>;
  cleanup(): void;
}

export async function tinyHubModels(): Promise<TinyHubModels> {
  const dir = writeTinyModel();
  const folder: Record<string, Buffer> = {};
  for (const name of fs.readdirSync(dir)) folder[name] = fs.readFileSync(path.join(dir, name));
  const ggufFile = path.join(dir, "tiny.gguf");
  await convertHfFolderToGguf(dir, ggufFile, { dtype: "F32" });
  const gguf = fs.readFileSync(ggufFile);
  const entries = [...readSafetensors(folder["model.safetensors"]).tensors.values()].map((t) => ({ name: t.name, shape: t.shape, data: tensorToFloat32(t) }));
  const half = Math.ceil(entries.length / 2);
  const sharded: Record<string, Buffer> = { ...folder };
  delete sharded["model.safetensors"];
  const weightMap: Record<string, string> = {};
  [entries.slice(0, half), entries.slice(half)].forEach((part, i) => {
    const file = `model-0000${i + 1}-of-00002.safetensors`;
    sharded[file] = Buffer.from(writeSafetensors(part));
    for (const e of part) weightMap[e.name] = file;
  });
  sharded["model.safetensors.index.json"] = Buffer.from(JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return { dir, folder, gguf, sharded, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

/** Settings for a test: a fresh cache folder, fast retries. */
export function testHubSettings(endpoint: string, overrides: Partial<HubSettings> = {}): HubSettings {
  return {
    endpoint,
    token: undefined,
    cacheDir: fs.mkdtempSync(path.join(os.tmpdir(), "hub-cache-")),
    offline: false,
    retries: 3,
    retryDelayMs: 5,
    stallMs: 5_000,
    ...overrides,
  };
}
