import { describe, expect, it } from "vitest";
import { SignInGuard, type SignInLimits } from "@/lib/auth/sign-in-throttle";

const limits: SignInLimits = { perAddress: { limit: 3, windowMs: 60_000 }, global: { limit: 5, windowMs: 60_000 }, maxWaitingPerEmail: 2 };
const wrong = async () => false;
const right = async () => true;

describe("SignInGuard", () => {
  it("runs parallel attempts on one email one at a time", async () => {
    const guard = new SignInGuard({ ...limits, perAddress: { limit: 10, windowMs: 60_000 } });
    let running = 0;
    let most = 0;
    const check = async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 10));
      running--;
      return false;
    };
    const outcomes = await Promise.all([1, 2, 3].map((i) => guard.attempt("Ann@Example.com ", `198.51.100.${i}`, check)));
    expect(outcomes).toEqual(["failed", "failed", "failed"]);
    expect(most).toBe(1);
  });

  it("counts failures per address before the password check, so a parallel burst is cut at the limit", async () => {
    const guard = new SignInGuard(limits);
    let checked = 0;
    const slow = async () => {
      checked++;
      await new Promise((r) => setTimeout(r, 10));
      return false;
    };
    const burst = await Promise.all(Array.from({ length: 6 }, (_, i) => guard.attempt(`u${i}@x.test`, "198.51.100.1", slow)));
    expect(burst.filter((o) => o === "failed")).toHaveLength(3);
    expect(burst.filter((o) => o === "limited")).toHaveLength(3);
    expect(checked).toBe(3);
    // Even the right password is not checked from that address now; another address still works.
    expect(await guard.attempt("u0@x.test", "198.51.100.1", right)).toBe("limited");
    expect(await guard.attempt("u0@x.test", "198.51.100.2", right)).toBe("ok");
  });

  it("does not count successful sign-ins against the address", async () => {
    const guard = new SignInGuard(limits);
    for (let i = 0; i < 10; i++) expect(await guard.attempt(`u${i}@x.test`, "198.51.100.1", right)).toBe("ok");
    expect(await guard.attempt("u@x.test", "198.51.100.1", wrong)).toBe("failed");
  });

  it("has a global ceiling on failures across addresses", async () => {
    let now = 0;
    const guard = new SignInGuard(limits, () => now);
    for (let i = 0; i < 5; i++) expect(await guard.attempt(`u${i}@x.test`, `198.51.100.${i}`, wrong)).toBe("failed");
    expect(await guard.attempt("u@x.test", "198.51.100.99", right)).toBe("limited");
    now = 60_001;
    expect(await guard.attempt("u@x.test", "198.51.100.99", right)).toBe("ok");
  });

  it("refuses attempts on one email beyond those allowed to wait, without checking them", async () => {
    const guard = new SignInGuard({ ...limits, perAddress: { limit: 10, windowMs: 60_000 }, global: { limit: 10, windowMs: 60_000 } });
    let checked = 0;
    const slow = async () => {
      checked++;
      await new Promise((r) => setTimeout(r, 20));
      return false;
    };
    const outcomes = await Promise.all(Array.from({ length: 5 }, (_, i) => guard.attempt("ann@x.test", `198.51.100.${i}`, slow)));
    expect(outcomes.sort()).toEqual(["failed", "failed", "failed", "limited", "limited"]);
    expect(checked).toBe(3);
  });
});
