/**
 * The process-wide limiters of the public auth endpoints: one sign-in guard
 * and one invite-acceptance window per server process, kept on globalThis so
 * every route bundle that imports this module shares them.
 */
import { env } from "@/lib/env";
import { clientAddress, headerGetter } from "./client-address";
import { SlidingWindow } from "./rate-limit";
import { SignInGuard } from "./sign-in-throttle";

/** Failed invite redemptions allowed per client address in 15 minutes (tokens are 24 random bytes: this only caps the work). */
export const INVITE_FAILURES_PER_ADDRESS = { limit: 10, windowMs: 15 * 60 * 1000 };

interface Limiters {
  signIn: SignInGuard;
  inviteFailures: SlidingWindow;
}

const KEY = Symbol.for("rlhf-studio.auth-limiters");
type WithLimiters = typeof globalThis & { [KEY]?: Limiters };

function limiters(): Limiters {
  const g = globalThis as WithLimiters;
  g[KEY] ??= { signIn: new SignInGuard(), inviteFailures: new SlidingWindow(INVITE_FAILURES_PER_ADDRESS) };
  return g[KEY];
}

export const signInGuard = (): SignInGuard => limiters().signIn;
export const inviteFailureWindow = (): SlidingWindow => limiters().inviteFailures;

/** The calling client's address (see client-address.ts), honouring STUDIO_TRUSTED_PROXY_HOPS. */
export function requestAddress(headers: Headers | Record<string, string | string[] | undefined> | undefined): string {
  return clientAddress(headerGetter(headers), env().STUDIO_TRUSTED_PROXY_HOPS);
}
