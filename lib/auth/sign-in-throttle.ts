/**
 * Limits on guessing passwords, in three layers:
 * - per email: attempts run one at a time (in this process), and after 3
 *   failures each further attempt waits 0.5 s, 1 s, 2 s … up to 8 s before the
 *   password is checked. The failure count lives on the user row, so the
 *   delay holds across server instances;
 * - per client address: at most 20 failed sign-ins in 15 minutes;
 * - for the whole process: at most 200 failed sign-ins a minute.
 * Address and global limits count an attempt as failed *before* the password
 * is checked and take it back on success, so a burst of parallel guesses is
 * counted in full rather than all slipping through while the first is slow.
 */
import { KeyedQueue, SlidingWindow } from "./rate-limit";

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

export interface SignInLimits {
  perAddress: { limit: number; windowMs: number };
  global: { limit: number; windowMs: number };
  /** Attempts on one email that may wait behind the one being checked. */
  maxWaitingPerEmail: number;
}

export const SIGN_IN_LIMITS: SignInLimits = {
  perAddress: { limit: 20, windowMs: FAILURE_WINDOW_MS },
  global: { limit: 200, windowMs: 60 * 1000 },
  maxWaitingPerEmail: 3,
};

export type SignInOutcome = "ok" | "failed" | "limited";

export class SignInGuard {
  private readonly byAddress: SlidingWindow;
  private readonly overall: SlidingWindow;
  private readonly byEmail: KeyedQueue;

  constructor(limits: SignInLimits = SIGN_IN_LIMITS, now: () => number = Date.now) {
    this.byAddress = new SlidingWindow(limits.perAddress, now);
    this.overall = new SlidingWindow({ ...limits.global, maxKeys: 1 }, now);
    this.byEmail = new KeyedQueue(limits.maxWaitingPerEmail);
  }

  /**
   * Runs one sign-in attempt under every limit. `check` does the slow part
   * (look the user up, wait their delay, compare the password, record a
   * failure) and resolves true when the password was right; it is not called
   * when a limit is reached.
   */
  async attempt(email: string, address: string, check: () => Promise<boolean>): Promise<SignInOutcome> {
    const refundAddress = this.byAddress.take(address);
    if (!refundAddress) return "limited";
    const refundGlobal = this.overall.take("all");
    if (!refundGlobal) {
      refundAddress();
      return "limited";
    }
    const result = await this.byEmail.run(email.trim().toLowerCase(), check);
    if (result.refused || result.value) {
      refundAddress();
      refundGlobal();
    }
    return result.refused ? "limited" : result.value ? "ok" : "failed";
  }
}
