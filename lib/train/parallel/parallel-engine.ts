import { Worker } from "node:worker_threads";
import type { SftExample } from "../chat-format";
import type { GradEngine } from "../grad-engine";
import { accumulateInto } from "../grad-engine";
import type { LlamaTrainConfig } from "../model/config";
import { paramCount } from "../model/config";
import { LlamaTrainModel } from "../model/model";

interface Reply {
  ok: boolean;
  loss?: number;
  count?: number;
  error?: string;
}

/**
 * Data-parallel gradients on worker threads: params live in a
 * SharedArrayBuffer that the optimizer updates in place between steps (no
 * copies); each worker writes its own shared grads buffer, which the main
 * thread sums after the micro-batch. The main thread takes a share of the
 * examples too, so `threads` = workers + 1.
 */
export class ParallelGradEngine implements GradEngine {
  readonly params: Float32Array;
  readonly grads: Float32Array;
  private readonly model: LlamaTrainModel;
  private readonly workers: { worker: Worker; grads: Float32Array }[] = [];

  constructor(config: LlamaTrainConfig, initial: Float32Array, threads: number) {
    if (!(Number.isInteger(threads) && threads >= 1)) throw new Error(`threads must be a positive integer, got ${threads}`);
    const n = paramCount(config);
    if (initial.length !== n) throw new Error(`initial params have ${initial.length} values, model needs ${n}`);
    const paramsSab = new SharedArrayBuffer(n * 4);
    this.params = new Float32Array(paramsSab);
    this.params.set(initial);
    this.grads = new Float32Array(n);
    this.model = new LlamaTrainModel(config, this.params, this.grads);
    for (let i = 1; i < threads; i++) {
      const gradsSab = new SharedArrayBuffer(n * 4);
      const worker = spawnWorker(new URL("./grad-worker.ts", import.meta.url), { config, params: paramsSab, grads: gradsSab });
      this.workers.push({ worker, grads: new Float32Array(gradsSab) });
    }
  }

  async accumulate(examples: readonly SftExample[], gradScale: number) {
    const shares = splitByLength(examples, this.workers.length + 1);
    const pending = this.workers.map(({ worker }, i) => runJob(worker, shares[i + 1]!, gradScale));
    const local = accumulateInto(this.model, shares[0]!, gradScale);
    const replies = await Promise.all(pending);
    let { loss, count } = local;
    replies.forEach((r, i) => {
      loss += r.loss!;
      count += r.count!;
      const wg = this.workers[i]!.grads;
      for (let j = 0; j < wg.length; j++) this.grads[j] += wg[j]!;
    });
    return { loss, count };
  }

  async close() {
    await Promise.all(this.workers.map(({ worker }) => worker.terminate()));
  }
}

/**
 * Node cannot load .ts in a worker by itself and tsx does not hook workers,
 * so a .ts worker is started through a tiny eval bootstrap that registers
 * tsx's ESM loader first (tsx is a dev dependency; training is dev-only).
 */
function spawnWorker(url: URL, workerData: unknown): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`;
  return new Worker(boot, { eval: true, workerData });
}

function runJob(worker: Worker, examples: readonly SftExample[], gradScale: number): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const onMessage = (r: Reply) => {
      worker.off("error", onError);
      if (r.ok) resolve(r);
      else reject(new Error(`grad worker failed: ${r.error}`));
    };
    const onError = (err: Error) => {
      worker.off("message", onMessage);
      reject(err);
    };
    worker.once("message", onMessage);
    worker.once("error", onError);
    worker.postMessage({ examples: examples.map((e) => ({ tokens: e.tokens, targets: e.targets })), gradScale });
  });
}

/** Greedy longest-first split into k shares of about equal token count (cost grows with length). */
function splitByLength(examples: readonly SftExample[], k: number): SftExample[][] {
  const shares: SftExample[][] = Array.from({ length: k }, () => []);
  const load = new Array<number>(k).fill(0);
  const order = examples.map((e, i) => i).sort((a, b) => examples[b]!.tokens.length - examples[a]!.tokens.length || a - b);
  for (const i of order) {
    let best = 0;
    for (let j = 1; j < k; j++) if (load[j]! < load[best]!) best = j;
    shares[best]!.push(examples[i]!);
    load[best]! += examples[i]!.tokens.length;
  }
  return shares;
}
