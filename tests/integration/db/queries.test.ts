import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createInvite, redeemInvite } from "@/db/queries/invites";
import { createProject } from "@/db/queries/projects";
import { addPrompts } from "@/db/queries/prompts";
import { createSession, createUser, deleteSession, getLiveSessionUser, getUserByEmail, updateUser } from "@/db/queries/users";
import { DEMO_LOGINS, seedDemo } from "@/db/seed";
import { AppError } from "@/lib/errors";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

describe(`queries on ${testDialect}`, () => {
  it("uses the dialect the suite asked for", () => {
    expect(getDb().dialect).toBe(testDialect);
  });

  it("stores users with a normalised email and refuses a duplicate", async () => {
    await createUser({ email: "  Mixed@Example.COM ", name: "M", role: "annotator", passwordHash: null });
    expect((await getUserByEmail({ email: "mixed@example.com" }))?.name).toBe("M");
    await expect(createUser({ email: "mixed@example.com", name: "X", role: "admin", passwordHash: null })).rejects.toThrow();
  });

  it("ends a session on sign-out and when the user is disabled", async () => {
    const u = await createUser({ email: "s@example.com", name: "S", role: "annotator", passwordHash: null });
    const sid = await createSession({ userId: u.id, expiresAt: new Date(Date.now() + 60_000) });
    expect((await getLiveSessionUser({ sessionId: sid }))?.id).toBe(u.id);
    await deleteSession({ sessionId: sid });
    expect(await getLiveSessionUser({ sessionId: sid })).toBeUndefined();

    const sid2 = await createSession({ userId: u.id, expiresAt: new Date(Date.now() + 60_000) });
    await updateUser({ id: u.id, disabled: true });
    expect(await getLiveSessionUser({ sessionId: sid2 })).toBeUndefined();
  });

  it("treats an expired session as signed out", async () => {
    const u = await createUser({ email: "e@example.com", name: "E", role: "annotator", passwordHash: null });
    const sid = await createSession({ userId: u.id, expiresAt: new Date(Date.now() - 1000) });
    expect(await getLiveSessionUser({ sessionId: sid })).toBeUndefined();
  });

  it("redeems an invite exactly once and refuses expired ones", async () => {
    await createInvite({ tokenHash: "h1", email: "new@example.com", role: "researcher", createdBy: (await getUserByEmail({ email: "mixed@example.com" }))!.id, expiresAt: new Date(Date.now() + 60_000) });
    const user = await redeemInvite({ tokenHash: "h1", name: "New", passwordHash: "x" });
    expect(user.role).toBe("researcher");
    await expect(redeemInvite({ tokenHash: "h1", name: "Again", passwordHash: "x" })).rejects.toMatchObject({ code: "gone" });

    await createInvite({ tokenHash: "h2", email: "late@example.com", role: "annotator", createdBy: user.id, expiresAt: new Date(Date.now() - 1) });
    await expect(redeemInvite({ tokenHash: "h2", name: "Late", passwordHash: "x" })).rejects.toBeInstanceOf(AppError);
    expect(await getUserByEmail({ email: "late@example.com" })).toBeUndefined();
  });

  it("adds prompts once and reports duplicates within the batch and against stored ones", async () => {
    const project = await createProject({ name: "P", completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
    const first = await addPrompts({ projectId: project.id, source: "test", prompts: [{ text: "a" }, { text: "b" }, { text: " a " }] });
    expect(first).toMatchObject({ added: 2, duplicates: [2] });
    const second = await addPrompts({ projectId: project.id, source: "test", prompts: [{ text: "b" }, { text: "c" }, { messages: [{ role: "user", content: "a" }] }] });
    expect(second).toMatchObject({ added: 2, duplicates: [0] });
  });

  it("rolls back every write of a failed transaction", async () => {
    const { t, tx } = getDb();
    await expect(
      tx(async (db) => {
        await db.insert(t.users).values({ email: "rollback@example.com", name: "R", role: "annotator" });
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await getUserByEmail({ email: "rollback@example.com" })).toBeUndefined();
  });

  it("lets query functions called inside a transaction join it", async () => {
    await expect(
      getDb().tx(async () => {
        await createUser({ email: "joined@example.com", name: "J", role: "annotator", passwordHash: null });
        throw new Error("undo");
      }),
    ).rejects.toThrow("undo");
    expect(await getUserByEmail({ email: "joined@example.com" })).toBeUndefined();
  });

  it("seeds the demo idempotently", async () => {
    const a = await seedDemo();
    const b = await seedDemo();
    expect(a.usersCreated).toBe(DEMO_LOGINS.length);
    expect(a.promptsAdded).toBeGreaterThan(0);
    expect(a.generationQueued).toBe(true);
    expect(b).toMatchObject({ usersCreated: 0, promptsAdded: 0, projectId: a.projectId, generationQueued: false });
  });
});
