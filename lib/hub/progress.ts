/**
 * Download progress for slow consumers (a job's row in the database): at most
 * one report per interval, plus the last one, sent one at a time in order.
 */
import type { HubDownloadProgress } from "./snapshot";

export interface ThrottledProgress {
  onProgress: (p: HubDownloadProgress) => void;
  /** Resolves when every report sent so far has finished (their errors are dropped: a cancelled job's signal stops the download itself). */
  flush: () => Promise<void>;
}

export function throttledProgress(report: (p: HubDownloadProgress) => Promise<void>, everyMs = 500): ThrottledProgress {
  let last = -Infinity;
  let chain = Promise.resolve();
  return {
    onProgress(p) {
      const now = Date.now();
      if (now - last < everyMs && p.bytes < p.totalBytes) return;
      last = now;
      chain = chain.then(() => report(p)).catch(() => undefined);
    },
    flush: () => chain,
  };
}
