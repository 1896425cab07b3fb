/**
 * A lock file per blob, so two processes (the web server's job runner and a
 * `npm run worker`, or two workers) never write the same .incomplete at once.
 * The holder touches the file while it works; a lock left untouched for
 * STALE_MS belongs to a process that died and is taken over.
 */
import { open, rm, stat, utimes } from "node:fs/promises";

const TOUCH_MS = 5_000;
const STALE_MS = 30_000;
const POLL_MS = 200;

async function tryAcquire(lockPath: string): Promise<boolean> {
  try {
    const fh = await open(lockPath, "wx");
    await fh.close();
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    return false;
  }
}

async function isStale(lockPath: string): Promise<boolean> {
  try {
    return Date.now() - (await stat(lockPath)).mtimeMs > STALE_MS;
  } catch {
    return false; // released between our open and stat: just try again
  }
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => (signal?.removeEventListener("abort", onAbort), resolve()), ms);
    const onAbort = () => (clearTimeout(timer), reject(signal!.reason));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Runs `fn` holding `lockPath`; waits (abortably) while another live holder has it. */
export async function withFileLock<T>(lockPath: string, signal: AbortSignal | undefined, fn: () => Promise<T>): Promise<T> {
  while (!(await tryAcquire(lockPath))) {
    if (await isStale(lockPath)) await rm(lockPath, { force: true });
    else await sleep(POLL_MS, signal);
  }
  const timer = setInterval(() => {
    const now = new Date();
    utimes(lockPath, now, now).catch(() => undefined);
  }, TOUCH_MS);
  try {
    return await fn();
  } finally {
    clearInterval(timer);
    await rm(lockPath, { force: true });
  }
}
