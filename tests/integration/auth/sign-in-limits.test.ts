import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createUser, getUserByEmail } from "@/db/queries/users";
import { authorizeCredentials } from "@/lib/auth/options";
import { RATE_LIMITED } from "@/lib/auth/sign-in-messages";
import { hashPassword } from "@/lib/users/password";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(async () => cleanup());

/** next-auth's request as the credentials provider sees it; X-Forwarded-For holds the socket address Next.js recorded. */
const from = (address: string) => ({ headers: { "x-forwarded-for": address } });
const signIn = (email: string, password: string, address: string) => authorizeCredentials({ email, password }, from(address));

describe(`sign-in limits on ${testDialect}`, () => {
  it("makes parallel wrong guesses for one account wait one after another, each seeing the failures before it", async () => {
    await createUser({ email: "victim@limits.test", name: "V", role: "annotator", passwordHash: await hashPassword("right-password") });
    const started = performance.now();
    // Six guesses at once, each from its own address: the first three are free, then 0.5 s, 1 s and 2 s.
    const results = await Promise.all(Array.from({ length: 6 }, (_, i) => signIn("victim@limits.test", `guess-${i}`, `198.51.100.${i + 1}`).catch((e: Error) => e.message)));
    const seconds = (performance.now() - started) / 1000;
    expect(results.filter((r) => r === null)).toHaveLength(4);
    expect(results.filter((r) => r === RATE_LIMITED)).toHaveLength(2);
    expect((await getUserByEmail({ email: "victim@limits.test" }))?.failedSignIns).toBe(4);
    // Attempt 4 waits 0.5 s; on the old code all four read a count of 0 and none waited.
    expect(seconds).toBeGreaterThanOrEqual(0.45);
  });

  it("stops checking passwords from an address after 20 failures, while other addresses still sign in", async () => {
    await createUser({ email: "someone@limits.test", name: "S", role: "annotator", passwordHash: await hashPassword("right-password") });
    for (let i = 0; i < 20; i++) expect(await signIn(`nobody-${i}@limits.test`, "guess", "203.0.113.50")).toBeNull();
    await expect(signIn("someone@limits.test", "right-password", "203.0.113.50")).rejects.toThrow(RATE_LIMITED);
    expect(await signIn("someone@limits.test", "right-password", "203.0.113.51")).toMatchObject({ email: "someone@limits.test" });
    // The refused attempt never reached the account: its failure count is untouched.
    expect((await getUserByEmail({ email: "someone@limits.test" }))?.failedSignIns).toBe(0);
  });

  it("treats the addresses of one IPv6 /64 as one client", async () => {
    for (let i = 0; i < 20; i++) expect(await signIn(`nobody6-${i}@limits.test`, "guess", `2001:db8:7:7::${(i + 1).toString(16)}`)).toBeNull();
    await expect(signIn("someone@limits.test", "right-password", "2001:db8:7:7:ffff::1")).rejects.toThrow(RATE_LIMITED);
  });
});
