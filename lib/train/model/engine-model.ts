/**
 * The trained weights as an inference-engine model, in memory: generation,
 * sampling, evaluation and reward scoring of a model being trained run on
 * lib/engine, not on a second decoder here.
 */
import { modelFromHf } from "@/lib/engine/models/load";
import type { CausalLM } from "@/lib/engine/models/types";
import type { RawTensor } from "@/lib/engine/tensor/dtype";
import type { HfSpecialIds } from "../export-hf";
import { hfConfigJson } from "../export-hf";
import type { LlamaTrainConfig } from "./config";
import { paramCount, paramLayout } from "./config";

/**
 * lib/engine's LlamaModel over the trainer's flat parameters (paramLayout
 * order), built by modelFromHf from the config.json the HF export writes and
 * F32 tensors under their HF names — the loading path of any HF folder, so it
 * gets the same kernels — with no file round trip. `ids` sets the model's
 * BOS/EOS (generate's default stop ids); without it the caller passes eosIds.
 *
 * The tensors are views of `params`: the engine copies them into WASM memory
 * when it has it, and reads them in place on the TypeScript kernels, so leave
 * `params` unchanged while the model is in use (build a new one after more training).
 */
export function engineModelFromParams(config: LlamaTrainConfig, params: Float32Array, ids?: HfSpecialIds): CausalLM {
  if (params.length !== paramCount(config)) throw new Error(`params have ${params.length} values, the config needs ${paramCount(config)}`);
  const bytes = new Uint8Array(params.buffer, params.byteOffset, params.byteLength);
  const tensors = new Map<string, RawTensor>();
  for (const e of paramLayout(config)) {
    tensors.set(e.name, { name: e.name, dtype: "F32", shape: e.shape, bytes: bytes.subarray(e.offset * 4, (e.offset + e.size) * 4) });
  }
  return modelFromHf(hfConfigJson(config, ids), tensors, { format: "auto" }, "trainer parameters");
}
