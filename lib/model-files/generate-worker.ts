/**
 * Worker thread entry: loads one model once, then serves generate requests
 * one at a time, streaming events back. Abort messages are handled between
 * decode steps (generate() yields to the event loop each step). Each request
 * is checked against the model's context and the KV-cache budget first, and
 * a failure says whether its prompt is to blame (see prompt-fit.ts).
 */
import { parentPort, workerData } from "node:worker_threads";
import { EngineError } from "@/lib/engine/errors";
import { generate } from "@/lib/engine/generate";
import { promptIds as chatPromptIds } from "@/lib/engine/tokenizer/conversation";
import type { Tokenizer } from "@/lib/engine/tokenizer/types";
import { loadModelFromPath } from "./load";
import { checkRequestFits, PromptError } from "./prompt-fit";
import type { FromWorker, GenerateRequest, ToWorker, WorkerInit } from "./worker-protocol";

const port = parentPort!;
const send = (m: FromWorker) => port.postMessage(m);
const init = workerData as WorkerInit;

/**
 * The ids to prefill: given, or the messages through the model's chat template.
 * A model without a tokenizer fails every such request (the job's problem); a
 * message the template or tokenizer refuses is this prompt's.
 */
function requestIds(request: GenerateRequest, tokenizer: Tokenizer | null): number[] {
  if ("promptIds" in request) return request.promptIds;
  if (!tokenizer) throw new EngineError("this model has no tokenizer; pass prompt ids instead of messages");
  try {
    return chatPromptIds(tokenizer, request.messages);
  } catch (e) {
    throw new PromptError("bad_prompt", `the chat template or tokenizer refused this prompt: ${(e as Error).message}`);
  }
}

/**
 * The error message for a failed request, and whether the prompt is to blame.
 * The job's problems are the model's and the settings' (EngineError before
 * generation starts); everything thrown while generating this prompt is the
 * prompt's, so one prompt the engine cannot handle never stops the others.
 */
function failure(id: number, e: unknown, generating: boolean): FromWorker {
  const message = e instanceof Error ? e.message : String(e);
  if (e instanceof PromptError) return { type: "error", id, message, prompt: e.kind };
  return generating ? { type: "error", id, message, prompt: "engine_error" } : { type: "error", id, message };
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
    let generating = false;
    try {
      const promptIds = requestIds(request, loaded.tokenizer);
      checkRequestFits(c, request.configs, promptIds.length, init.kvBudgetBytes, { stopAtContext: request.stopAtContext });
      generating = true;
      for await (const event of generate({
        model: loaded.model, tokenizer: loaded.tokenizer, promptIds, configs: request.configs, signal: ac.signal, eosIds: loaded.eosIds,
      })) {
        send({ type: "event", id, event });
      }
      send({ type: "end", id });
    } catch (e) {
      send(failure(id, e, generating));
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
