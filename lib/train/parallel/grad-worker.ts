/**
 * Worker side of ParallelGradEngine: holds a LlamaTrainModel over the shared
 * params and its own shared grads buffer, and runs forward/backward on the
 * examples it is sent. Relative imports: workers do not see the "@/" alias.
 */
import { parentPort, workerData } from "node:worker_threads";
import { accumulateInto } from "../grad-engine";
import type { LlamaTrainConfig } from "../model/config";
import { LlamaTrainModel } from "../model/model";

interface Init {
  config: LlamaTrainConfig;
  params: SharedArrayBuffer;
  grads: SharedArrayBuffer;
}
interface Job {
  examples: { tokens: Int32Array; targets: Int32Array }[];
  gradScale: number;
}

const init = workerData as Init;
const grads = new Float32Array(init.grads);
const model = new LlamaTrainModel(init.config, new Float32Array(init.params), grads);

parentPort!.on("message", (job: Job) => {
  try {
    grads.fill(0);
    const r = accumulateInto(model, job.examples, job.gradScale);
    parentPort!.postMessage({ ok: true, ...r });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: err instanceof Error ? err.message : String(err) });
  }
});
