/**
 * The engine's I/O edge: reads a model from disk (a Hugging Face folder or a
 * .gguf file) and builds the model and its tokenizer with the pure engine.
 * An `hf:` Hub id is first resolved to its snapshot in the Hub cache (lib/hub).
 */
import { existsSync, statSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { EngineError } from "@/lib/engine/errors";
import { readGguf } from "@/lib/engine/formats/gguf/read";
import type { SafetensorsFile } from "@/lib/engine/formats/safetensors/read";
import { readSafetensors, readShardedSafetensors } from "@/lib/engine/formats/safetensors/read";
import type { WeightFormat } from "@/lib/engine/models/linear";
import { modelFromGguf, modelFromHf } from "@/lib/engine/models/load";
import type { CausalLM } from "@/lib/engine/models/types";
import type { Tokenizer } from "@/lib/engine/tokenizer";
import { tokenizerFromGguf, tokenizerFromJson } from "@/lib/engine/tokenizer";
import { isHubModelId, parseHubModelId } from "@/lib/hub/model-id";
import { hubSettingsFromEnv } from "@/lib/hub/settings";
import { resolveHubModel, type ResolveHubOptions } from "@/lib/hub/snapshot";

/** A model ready for generate(). */
export interface LoadedModel {
  model: CausalLM;
  /** Null when the folder has no tokenizer.json or the GGUF no tokenizer metadata. */
  tokenizer: Tokenizer | null;
  /** Ids that end generation: generation_config.json's eos_token_id, else the model's and tokenizer's. */
  eosIds: number[];
  kind: "hf" | "gguf";
  source: string;
}

export interface LoadModelOptions {
  /** "q8_0" quantizes weight matrices at load; "auto" (default) keeps the file's types. */
  format?: WeightFormat;
}

export async function readJson(file: string): Promise<unknown> {
  const text = await readFile(file, "utf8");
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new EngineError(`not valid JSON (${(e as Error).message})`, file);
  }
}

async function readJsonIfExists(file: string): Promise<unknown> {
  return existsSync(file) ? readJson(file) : undefined;
}

function eosFrom(genConfig: unknown, file: string): number[] | null {
  if (!genConfig || typeof genConfig !== "object") return null;
  const v = (genConfig as Record<string, unknown>).eos_token_id;
  if (v === undefined || v === null) return null;
  const ids = Array.isArray(v) ? v : [v];
  for (const id of ids) {
    if (!Number.isInteger(id) || (id as number) < 0) throw new EngineError(`eos_token_id must be a token id or a list of them, got ${JSON.stringify(v)}`, file);
  }
  return ids as number[];
}

export async function loadSafetensors(dir: string): Promise<SafetensorsFile> {
  const single = path.join(dir, "model.safetensors");
  if (existsSync(single)) return readSafetensors(await readFile(single), single);
  const indexFile = path.join(dir, "model.safetensors.index.json");
  if (!existsSync(indexFile)) throw new EngineError("neither model.safetensors nor model.safetensors.index.json is present", dir);
  const index = await readJson(indexFile);
  const weightMap = (index as { weight_map?: Record<string, string> } | null)?.weight_map ?? {};
  const shards = new Map<string, Uint8Array>();
  for (const shard of new Set(Object.values(weightMap))) {
    if (typeof shard !== "string" || shard.includes("/") || shard.includes("\\")) {
      throw new EngineError(`weight_map names an invalid shard file ${JSON.stringify(shard)}`, indexFile);
    }
    shards.set(shard, await readFile(path.join(dir, shard)));
  }
  return readShardedSafetensors(index, shards, indexFile);
}

async function loadHfFolder(dir: string, opts: LoadModelOptions): Promise<LoadedModel> {
  const configFile = path.join(dir, "config.json");
  if (!existsSync(configFile)) throw new EngineError("config.json is missing (not a Hugging Face model folder)", dir);
  const config = await readJson(configFile);
  const st = await loadSafetensors(dir);
  const model = modelFromHf(config, st.tensors, { format: opts.format }, dir);
  const tokJson = await readJsonIfExists(path.join(dir, "tokenizer.json"));
  const tokConfig = await readJsonIfExists(path.join(dir, "tokenizer_config.json"));
  const tokenizer = tokJson === undefined ? null : tokenizerFromJson(tokJson, tokConfig, path.join(dir, "tokenizer.json"));
  const genFile = path.join(dir, "generation_config.json");
  const eos = eosFrom(await readJsonIfExists(genFile), genFile);
  const eosIds = eos ?? [...new Set([...model.config.eosTokenIds, ...(tokenizer?.eosIds ?? [])])];
  return { model, tokenizer, eosIds, kind: "hf", source: dir };
}

async function loadGgufFile(file: string, opts: LoadModelOptions): Promise<LoadedModel> {
  const gguf = readGguf(await readFile(file), file);
  const model = modelFromGguf(gguf, { format: opts.format }, file);
  const tokenizer = gguf.metadata["tokenizer.ggml.model"] === undefined ? null : tokenizerFromGguf(gguf.metadata);
  const eosIds = [...new Set([...model.config.eosTokenIds, ...(tokenizer?.eosIds ?? [])])];
  return { model, tokenizer, eosIds, kind: "gguf", source: file };
}

/**
 * The local path of a model: an `hf:org/name[/file.gguf][@rev]` id is
 * downloaded into (or found in) the Hub cache configured by HF_HOME /
 * HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN and HF_HUB_OFFLINE; a path is returned as is.
 * @throws HubError naming the id (and file) and what to do.
 */
export async function localModelPath(spec: string, opts: ResolveHubOptions = {}): Promise<string> {
  return isHubModelId(spec) ? resolveHubModel(parseHubModelId(spec), hubSettingsFromEnv(), opts) : spec;
}

/**
 * Loads a model from a Hugging Face folder (config.json, model.safetensors or
 * model.safetensors.index.json + shards, optional tokenizer.json,
 * tokenizer_config.json, generation_config.json), a .gguf file, or an `hf:`
 * Hub id of either (see localModelPath).
 * @throws EngineError naming the file and the problem; HubError for a Hub id.
 */
export async function loadModelFromPath(spec: string, opts: LoadModelOptions = {}): Promise<LoadedModel> {
  const p = await localModelPath(spec);
  if (!existsSync(p)) throw new EngineError("no such file or folder", p);
  if (statSync(p).isDirectory()) return loadHfFolder(p, opts);
  if (p.toLowerCase().endsWith(".gguf")) return loadGgufFile(p, opts);
  throw new EngineError("expected a Hugging Face model folder or a .gguf file", p);
}
