import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createInvite } from "@/db/queries/invites";
import { createUser, getUserByEmail } from "@/db/queries/users";
import type * as PasswordModule from "@/lib/users/password";
import { newLinkToken } from "@/lib/users/password";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// The route is public; no session is needed. hashPassword is watched to see when the slow work runs.
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => null }));
const hashed = vi.hoisted(() => ({ calls: 0 }));
vi.mock("@/lib/users/password", async (importOriginal) => {
  const real = await importOriginal<typeof PasswordModule>();
  return { ...real, hashPassword: (p: string) => (hashed.calls++, real.hashPassword(p)) };
});
const { POST } = await import("@/app/api/invites/accept/route");

let cleanup: () => Promise<void>;
let adminId = "";
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  adminId = (await createUser({ email: "admin@invites.test", name: "A", role: "admin", passwordHash: null })).id;
});
afterAll(async () => cleanup());

const accept = (body: unknown, address: string) =>
  POST(new Request("http://test/api/invites/accept", { method: "POST", headers: { "content-type": "application/json", "x-forwarded-for": address }, body: JSON.stringify(body) }), { params: Promise.resolve({}) });

async function invite(email: string): Promise<string> {
  const { token, hash } = await newLinkToken();
  await createInvite({ tokenHash: hash, email, role: "annotator", createdBy: adminId, expiresAt: new Date(Date.now() + 3600_000) });
  return token;
}

describe(`accepting an invite on ${testDialect}`, () => {
  it("checks the token before hashing the password", async () => {
    hashed.calls = 0;
    const res = await accept({ token: "x".repeat(32), name: "Mallory", password: "p".repeat(200) }, "198.51.100.1");
    expect(res.status).toBe(410);
    expect(hashed.calls).toBe(0);
    const ok = await accept({ token: await invite("ivy@invites.test"), name: "Ivy", password: "a-long-password" }, "198.51.100.1");
    expect(ok.status).toBe(200);
    expect(hashed.calls).toBe(1);
    expect((await getUserByEmail({ email: "ivy@invites.test" }))?.name).toBe("Ivy");
  });

  it("refuses an address after 10 failed attempts, even with a valid token, while other addresses go on", async () => {
    for (let i = 0; i < 10; i++) expect((await accept({ token: `bad-token-${i}`.padEnd(32, "z"), name: "M", password: "whatever-pw" }, "203.0.113.7")).status).toBe(410);
    const token = await invite("late@invites.test");
    const refused = await accept({ token, name: "Late", password: "a-long-password" }, "203.0.113.7");
    expect(refused.status).toBe(429);
    expect((await refused.json()).error.code).toBe("rate_limited");
    expect((await accept({ token, name: "Late", password: "a-long-password" }, "203.0.113.8")).status).toBe(200);
  });

  it("does not count successful acceptances against the address", async () => {
    for (let i = 0; i < 12; i++) {
      const res = await accept({ token: await invite(`team-${i}@invites.test`), name: `T${i}`, password: "a-long-password" }, "198.51.100.20");
      expect(res.status, `invite ${i}`).toBe(200);
    }
  });
});
