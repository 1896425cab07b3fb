/**
 * Worker thread entry: loads one model once, then serves generate requests
 * one at a time, streaming events back. Abort messages are handled between
 * decode steps (generate() yields to the event loop each step).
 */
import { parentPort, workerData } from "node:worker_threads";
import { EngineError } from "@/lib/engine/errors";
import { generate } from "@/lib/engine/generate";
import { promptIds as chatPromptIds } from "@/lib/engine/tokenizer/conversation";
import type { Tokenizer } from "@/lib/engine/tokenizer/types";
import { loadModelFromPath } from "./load";
import type { FromWorker, GenerateRequest, ToWorker, WorkerInit } from "./worker-protocol";

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const init = workerData as WorkerInit;

/** The ids to prefill: given, or the messages through the model's chat template. */
function requestIds(request: GenerateRequest, tokenizer: Tokenizer | null): number[] {
  if ("promptIds" in request) return request.promptIds;
  if (!tokenizer) throw new EngineError("this model has no tokenizer; pass prompt ids instead of messages");
  return chatPromptIds(tokenizer, request.messages);
}

async function main(): Promise<void> {
  let loaded: Awaited<ReturnType<typeof loadModelFromPath>>;
  try {
    loaded = await loadModelFromPath(init.modelPath, { format: init.format });
  } catch (e) {
    send({ type: "init-error", message: (e as Error).message });
    return;
  }
  const c = loaded.model.config;
  send({
    type: "ready",
    info: { family: c.family, architecture: c.architecture, vocabSize: c.vocabSize, maxSeqLen: c.maxSeqLen, hasTokenizer: loaded.tokenizer !== null },
  });

  const controllers = new Map<number, AbortController>();
  let chain = Promise.resolve();
  const serve = async (id: number, request: GenerateRequest) => {
    const ac = controllers.get(id)!;
    try {
      const promptIds = requestIds(request, loaded.tokenizer);
      for await (const event of generate({
        model: loaded.model, tokenizer: loaded.tokenizer, promptIds, configs: request.configs, signal: ac.signal, eosIds: loaded.eosIds,
      })) {
        send({ type: "event", id, event });
      }
      send({ type: "end", id });
    } catch (e) {
      send({ type: "error", id, message: (e as Error).message });
    } finally {
      controllers.delete(id);
    }
  };
  port.on("message", (msg: ToWorker) => {
    if (msg.type === "abort") {
      controllers.get(msg.id)?.abort();
      return;
    }
    controllers.set(msg.id, new AbortController());
    chain = chain.then(() => serve(msg.id, msg.request));
  });
}

void main();
