/**
 * The second core: one helper worker_thread that runs the upper half of the
 * output rows of each big matmul (and the upper half of a big quantization or
 * SwiGLU) on the same shared WebAssembly.Memory while the calling thread runs the lower half. One control block (Int32Array on a
 * SharedArrayBuffer) carries the job; Atomics make the barrier:
 *   ctl[GEN]  job counter, bumped by the caller (the worker spins, then waits on it)
 *   ctl[OP]   0 = matmul_f32, 1 = matmul_q8, 2 = only drain messages, 3 = matmul_f16,
 *             4 = quantize_q8, 5 = swiglu, 6 = rmsnorm, 7 = attention_rows,
 *             8 / 9 / 10 = matmul_f32 / q8 / f16 claiming rows, 11 = swiglu_rows, -1 = quit
 *   ctl[ARENA] which registered memory's instance; ctl[ARGS..] the kernel's arguments (12 at most)
 *   ctl[POSTED] messages posted to the worker so far (it reads its port only when this moves)
 *   ctl[SLEEPING] 1 while the worker is parked in Atomics.wait (only then is notify needed)
 *   ctl[DONE] set to the job's counter by the worker when its half is written
 *   ctl[CALLER_WAITING] 1 while the caller is parked in Atomics.wait on DONE
 * A barrier is a few microseconds when both threads spin, but waking a parked
 * thread took ~0.5 ms here, so the worker spins ~3 ms after each job before it
 * parks: a forward pass's gaps between products (attention, norms) stay shorter.
 * Each arena's (and KV cache's) memory and kernel module are posted to the worker once; the worker drains its port
 * synchronously (receiveMessageOnPort) before the next job, so it is always there.
 * When one is collected the worker is told to drop its instance at once
 * (a DRAIN job), so the shared memory is freed rather than held by the worker.
 * Without worker_threads / SharedArrayBuffer (browsers, old hosts) there is no
 * helper and the caller computes every row itself.
 */

import type * as workerThreads from "node:worker_threads";

const GEN = 0, OP = 1, ARENA = 2, ARGS = 3, POSTED = 15, SLEEPING = 16, DONE = 17, CALLER_WAITING = 18;
/** OP value for "drop instances of collected arenas" (no kernel). */
const DRAIN = 2;
/**
 * The kernels the worker runs (ctl[OP]): 0 matmul_f32, 1 matmul_q8, 3 matmul_f16,
 * 4 quantize_q8, 5 swiglu, 6 rmsnorm, 8 matmul_f32_claim, 9 matmul_q8_claim,
 * 10 matmul_f16_claim, 11 swiglu_rows (an arena's module), 7 attention_rows (a KV cache's module;
 * its f32 scale passes as its bits).
 */
export type HelperOp = 0 | 1 | 3 | 4 | 5 | 6 | 7 | 8 | 9 | 10 | 11;
/** How long the worker spins for the next job before it parks (ms). */
const SPIN_MS = 3;

// Plain JS: runs in the worker via { eval: true }, so it needs no TypeScript loader or bundler.
const WORKER_SRC = `
const { workerData, receiveMessageOnPort } = require("node:worker_threads");
const { ctl, port } = workerData;
const c = new Int32Array(ctl);
const inst = new Map();
const scaleF32 = new Float32Array(1), scaleBits = new Int32Array(scaleF32.buffer);
let seen = 0, drained = 0;
for (;;) {
  if (Atomics.load(c, ${GEN}) === seen) {
    const t0 = performance.now();
    for (let spins = 0; Atomics.load(c, ${GEN}) === seen; ) {
      if ((++spins & 1023) || performance.now() - t0 < ${SPIN_MS}) continue;
      Atomics.store(c, ${SLEEPING}, 1);
      Atomics.wait(c, ${GEN}, seen, 1000);
      Atomics.store(c, ${SLEEPING}, 0);
    }
  }
  seen = Atomics.load(c, ${GEN});
  const job = c[${OP}];
  if (job < 0) break;
  const id = c[${ARENA}];
  while (Atomics.load(c, ${POSTED}) !== drained || (job !== ${DRAIN} && !inst.has(id))) {
    const m = receiveMessageOnPort(port);
    if (!m) continue;
    drained++;
    if (m.message.memory) inst.set(m.message.id, new WebAssembly.Instance(m.message.mod, { env: { memory: m.message.memory } }).exports);
    else inst.delete(m.message.id);
  }
  const a = ${ARGS};
  if (job === 0) inst.get(id).matmul_f32(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  if (job === 1) inst.get(id).matmul_q8(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9]);
  if (job === 3) inst.get(id).matmul_f16(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  if (job === 4) inst.get(id).quantize_q8(c[a], c[a + 1], c[a + 2], c[a + 3]);
  if (job === 5) inst.get(id).swiglu(c[a], c[a + 1], c[a + 2], c[a + 3]);
  if (job === 11) inst.get(id).swiglu_rows(c[a], c[a + 1], c[a + 2], c[a + 3]);
  if (job === 6) inst.get(id).rmsnorm(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5]);
  if (job === 8) inst.get(id).matmul_f32_claim(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  if (job === 9) inst.get(id).matmul_q8_claim(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9]);
  if (job === 10) inst.get(id).matmul_f16_claim(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7]);
  if (job === 7) {
    scaleBits[0] = c[a + 10];
    inst.get(id).attention_rows(c[a], c[a + 1], c[a + 2], c[a + 3], c[a + 4], c[a + 5], c[a + 6], c[a + 7], c[a + 8], c[a + 9], scaleF32[0]);
  }
  Atomics.store(c, ${DONE}, seen);
  if (Atomics.load(c, ${CALLER_WAITING})) Atomics.notify(c, ${DONE});
}
`;

type WorkerThreads = typeof workerThreads;

/**
 * One per process, made on first use: the machine has the one second core, so
 * every arena and KV cache whose backend runs threads shares it.
 */
export class Helper {
  private static instance: Helper | null | undefined;
  private readonly ctl = new Int32Array(new SharedArrayBuffer(128));
  private readonly port: workerThreads.MessagePort;
  private readonly known = new Set<number>();
  private gen = 0;
  private nextId = 1;
  private dead = false;
  // Runs between tasks, never inside a start()/wait() pair, so the control block is free.
  private readonly forget = new FinalizationRegistry<number>((id) => {
    if (this.dead) return;
    this.post({ id });
    this.start(0, DRAIN, []);
    this.wait();
  });

  private constructor(wt: WorkerThreads) {
    const { port1, port2 } = new wt.MessageChannel();
    this.port = port1;
    const worker = new wt.Worker(WORKER_SRC, { eval: true, workerData: { ctl: this.ctl.buffer, port: port2 }, transferList: [port2] });
    worker.unref();
    worker.on("error", () => (this.dead = true));
    worker.on("exit", () => (this.dead = true));
  }

  /** The process-wide helper, or null when worker_threads / SharedArrayBuffer are missing or the worker died. */
  static get(): Helper | null {
    if (Helper.instance !== undefined) return Helper.instance?.dead ? null : Helper.instance;
    const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
    const wt = proc?.getBuiltinModule?.("node:worker_threads") as WorkerThreads | undefined;
    Helper.instance = wt && typeof SharedArrayBuffer === "function" ? new Helper(wt) : null;
    return Helper.instance;
  }

  /**
   * An id for `memory`'s instance of `mod` (arenas may use different kernel
   * variants) in the worker; the worker drops it when `owner` is collected.
   */
  register(owner: object, memory: WebAssembly.Memory, mod: WebAssembly.Module): number {
    const id = this.nextId++;
    this.post({ id, memory, mod });
    this.known.add(id);
    this.forget.register(owner, id);
    return id;
  }

  /** Posts a message to the worker and counts it, so the worker knows to read its port. */
  private post(message: { id: number; memory?: WebAssembly.Memory; mod?: WebAssembly.Module }): void {
    this.port.postMessage(message);
    Atomics.add(this.ctl, POSTED, 1);
  }

  /** Starts op (HelperOp, or 2: drain) with `args` on the worker; pair with wait(). */
  start(arena: number, op: HelperOp | typeof DRAIN, args: readonly number[]): void {
    const c = this.ctl;
    c[OP] = op;
    c[ARENA] = arena;
    for (let i = 0; i < args.length; i++) c[ARGS + i] = args[i];
    this.gen = (this.gen + 1) | 0;
    Atomics.store(c, GEN, this.gen);
    if (Atomics.load(c, SLEEPING)) Atomics.notify(c, GEN);
  }

  /**
   * Blocks until the worker's half is written. @returns false if the worker
   * died or stalled for 10 s (then it is dropped and the caller redoes the half).
   */
  wait(): boolean {
    const c = this.ctl;
    const t0 = Date.now();
    for (let spins = 0; Atomics.load(c, DONE) !== this.gen; ) {
      if (++spins < 50000) continue;
      spins = 0;
      Atomics.store(c, CALLER_WAITING, 1);
      if (Atomics.load(c, DONE) !== this.gen) Atomics.wait(c, DONE, Atomics.load(c, DONE), 50);
      Atomics.store(c, CALLER_WAITING, 0);
      if (this.dead || Date.now() - t0 > 10000) {
        this.dead = true;
        return false;
      }
    }
    return true;
  }
}
