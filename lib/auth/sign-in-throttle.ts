/**
 * Slows repeated failed sign-ins for one email: after 3 failures each further
 * attempt waits 0.5 s, 1 s, 2 s … up to 8 s before the password is checked.
 * The counter lives on the user row, so it holds across server instances.
 */
const FREE_ATTEMPTS = 3;
const MAX_DELAY_MS = 8000;
/** Failures older than this no longer count. */
export const FAILURE_WINDOW_MS = 15 * 60 * 1000;

export function signInDelayMs(failedSignIns: number, lastFailedAt: Date | null, now = new Date()): number {
  if (!lastFailedAt || now.getTime() - lastFailedAt.getTime() > FAILURE_WINDOW_MS) return 0;
  const excess = failedSignIns - FREE_ATTEMPTS;
  if (excess < 0) return 0;
  return Math.min(MAX_DELAY_MS, 500 * 2 ** excess);
}
