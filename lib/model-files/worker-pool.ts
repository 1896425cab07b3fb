/**
 * A pool of worker threads that each hold one loaded copy of a model and run
 * generate() off the main thread. Requests go to the worker with the fewest
 * in flight; events stream back as an async iterable; an AbortSignal reaches
 * the worker's generate() between decode steps.
 */
import os from "node:os";
import { Worker } from "node:worker_threads";
import { EngineError } from "@/lib/engine/errors";
import type { GenerateEvent } from "@/lib/engine/generate";
import type { WeightFormat } from "@/lib/engine/models/linear";
import { env } from "@/lib/env";
import { PromptError } from "./prompt-fit";
import type { FromWorker, GenerateRequest, ModelInfo, ToWorker, WorkerInit } from "./worker-protocol";

export type { GenerateRequest, ModelInfo } from "./worker-protocol";

interface Stream {
  push(e: GenerateEvent): void;
  end(err?: Error): void;
}

interface Slot {
  worker: Worker;
  inFlight: number;
}

/** KV_CACHE_BUDGET_MB, else a quarter of this machine's memory: room for the weights, the app and other jobs. */
export function kvCacheBudgetBytes(): number {
  const mb = env().KV_CACHE_BUDGET_MB;
  return mb !== undefined ? mb * 1024 * 1024 : Math.floor(os.totalmem() / 4);
}

/** The worker entry. */
const WORKER_URL = new URL("./generate-worker.ts", import.meta.url);

/**
 * Starts a worker on `url`. A .ts entry is loaded through tsx's loader, registered
 * inside the worker by a one-line bootstrap (worker execArgv does not carry --import hooks).
 */
function spawn(url: URL, workerData: WorkerInit): Worker {
  if (!url.pathname.endsWith(".ts")) return new Worker(url, { workerData });
  const bootstrap = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(url.href)}); });`;
  return new Worker(bootstrap, { eval: true, workerData });
}

/** A channel from worker messages to an async iterator. */
function channel(): { stream: Stream; iterator: AsyncGenerator<GenerateEvent> } {
  const queue: GenerateEvent[] = [];
  let done = false;
  let error: Error | null = null;
  let wake: (() => void) | null = null;
  const stream: Stream = {
    push(e) {
      queue.push(e);
      wake?.();
    },
    end(err) {
      done = true;
      error = err ?? null;
      wake?.();
    },
  };
  async function* iterator(): AsyncGenerator<GenerateEvent> {
    for (;;) {
      if (queue.length) {
        yield queue.shift()!;
        continue;
      }
      if (done) {
        if (error) throw error;
        return;
      }
      await new Promise<void>((r) => (wake = r));
      wake = null;
    }
  }
  return { stream, iterator: iterator() };
}

export class GenerationWorkerPool {
  private nextId = 1;
  private readonly streams = new Map<number, Stream>();
  private closed = false;

  private constructor(
    private readonly slots: Slot[],
    /** What the workers loaded. */
    readonly info: ModelInfo,
  ) {
    for (const slot of slots) {
      slot.worker.on("message", (m: FromWorker) => this.onMessage(slot, m));
      slot.worker.on("error", (e) => this.failAll(e));
      slot.worker.on("exit", (code) => {
        if (!this.closed) this.failAll(new EngineError(`generation worker exited with code ${code}`));
      });
    }
  }

  /**
   * Starts `size` workers (default 1) that each load the model at `modelPath`; resolves when all are ready.
   * A request whose KV cache would exceed `kvBudgetBytes` (default kvCacheBudgetBytes()) is refused before it allocates.
   * @throws EngineError with the loader's message when the model cannot be loaded.
   */
  static async start(opts: { modelPath: string; size?: number; format?: WeightFormat; workerUrl?: URL; kvBudgetBytes?: number }): Promise<GenerationWorkerPool> {
    const size = opts.size ?? 1;
    if (!Number.isInteger(size) || size < 1) throw new EngineError(`pool size must be a positive integer, got ${size}`);
    const url = opts.workerUrl ?? WORKER_URL;
    const init: WorkerInit = { modelPath: opts.modelPath, format: opts.format ?? "auto", kvBudgetBytes: opts.kvBudgetBytes ?? kvCacheBudgetBytes() };
    const workers = Array.from({ length: size }, () => spawn(url, init));
    try {
      const infos = await Promise.all(
        workers.map(
          (w) =>
            new Promise<ModelInfo>((resolve, reject) => {
              const onMsg = (m: FromWorker) => {
                if (m.type === "ready") done(() => resolve(m.info));
                else if (m.type === "init-error") done(() => reject(new EngineError(m.message)));
              };
              const onError = (e: Error) => done(() => reject(e));
              const onExit = (code: number) => done(() => reject(new EngineError(`generation worker exited with code ${code} while loading`)));
              // Remove only these listeners: Worker refs its port while it has 'message' listeners.
              const done = (settle: () => void) => {
                w.off("message", onMsg).off("error", onError).off("exit", onExit);
                settle();
              };
              w.on("message", onMsg).on("error", onError).on("exit", onExit);
            }),
        ),
      );
      return new GenerationWorkerPool(workers.map((worker) => ({ worker, inFlight: 0 })), infos[0]);
    } catch (e) {
      await Promise.all(workers.map((w) => w.terminate()));
      throw e;
    }
  }

  /**
   * Streams generate() events for one request from the least busy worker.
   * The stream throws PromptError when the request failed because of its prompt,
   * EngineError for anything else (settings, a worker that stopped, a closed pool).
   */
  generate(request: GenerateRequest, signal?: AbortSignal): AsyncGenerator<GenerateEvent> {
    if (this.closed) throw new EngineError("the generation pool is closed");
    const slot = this.slots.reduce((a, b) => (b.inFlight < a.inFlight ? b : a));
    const id = this.nextId++;
    const { stream, iterator } = channel();
    const post = (m: ToWorker) => slot.worker.postMessage(m);
    const onAbort = () => post({ type: "abort", id });
    // A job reuses one signal for many requests: drop the listener when this one ends.
    this.streams.set(id, {
      push: stream.push,
      end: (err) => {
        signal?.removeEventListener("abort", onAbort);
        stream.end(err);
      },
    });
    slot.inFlight++;
    post({ type: "generate", id, request });
    signal?.addEventListener("abort", onAbort, { once: true });
    return iterator;
  }

  private onMessage(slot: Slot, m: FromWorker): void {
    if (m.type === "ready" || m.type === "init-error") return;
    const stream = this.streams.get(m.id);
    if (!stream) return;
    if (m.type === "event") return stream.push(m.event);
    slot.inFlight--;
    this.streams.delete(m.id);
    if (m.type === "end") return stream.end();
    stream.end(m.prompt ? new PromptError(m.prompt, m.message) : new EngineError(m.message));
  }

  private failAll(e: Error): void {
    for (const s of this.streams.values()) s.end(e);
    this.streams.clear();
  }

  /** Stops every worker; running requests end with an error. */
  async close(): Promise<void> {
    this.closed = true;
    this.failAll(new EngineError("the generation pool was closed"));
    await Promise.all(this.slots.map((s) => s.worker.terminate()));
  }
}
