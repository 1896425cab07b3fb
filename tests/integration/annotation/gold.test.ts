import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { submitRankingWithGoldCheck } from "@/db/queries/gold";
import { addMembers, getMember, resetQualification } from "@/db/queries/members";
import { claimTask, skipTask } from "@/db/queries/tasks";
import { goldPhase, isGoldTurn } from "@/lib/queue/gold-schedule";
import { completionIdsByText, makeProject, makeUser, rankByText, rankInOrder, type Prompt } from "../../support/queue-fixtures";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

const prompts = (prefix: string, n: number, gold = false): Prompt[] => Array.from({ length: n }, (_, i) => ({ text: `${prefix} ${i}`, gold }));
const claim = (projectId: string, userId: string) => claimTask({ projectId, userId, leaseMs: 60_000 });

describe(`gold injection on ${testDialect}`, () => {
  it("mixes gold prompts into each annotator's queue at the project's rate, on the turns the schedule picks", async () => {
    const rate = 0.25;
    const { project } = await makeProject({ prompts: [...prompts("real", 16), ...prompts("gold", 6, true)], n: 1, goldRate: rate });
    const u = await makeUser();
    const kinds: string[] = [];
    for (let a = await claim(project.id, u.id); a; a = await claim(project.id, u.id)) {
      kinds.push(a.kind);
      await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: await rankByText(a, true) });
    }
    // Gold turns exactly where the schedule puts them, until the regular work (16 prompts) runs out.
    const phase = goldPhase(`${project.id}:${u.id}`);
    const expected = kinds.map((_, n) => (isGoldTurn({ n, rate, phase }) ? "gold" : "task"));
    expect(kinds).toEqual(expected);
    expect(kinds.filter((k) => k === "task")).toHaveLength(16);
    expect(kinds.filter((k) => k === "gold").length).toBe(Math.floor(kinds.length * rate + phase));
  });

  it("never counts gold towards N: every annotator may meet each gold prompt, and gold leaves the regular queue", async () => {
    const { project, promptIds } = await makeProject({ prompts: [...prompts("real", 8), ...prompts("gold", 1, true)], n: 1, goldRate: 0.5 });
    const goldId = promptIds.get("gold 0")!;
    const seen: string[] = [];
    for (const u of [await makeUser(), await makeUser(), await makeUser()]) {
      for (let i = 0; i < 3; i++) {
        const a = (await claim(project.id, u.id))!;
        seen.push(a.promptId);
        expect(a.kind === "gold").toBe(a.promptId === goldId);
        await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: await rankByText(a, true) });
      }
    }
    // N = 1, yet all three annotators got the gold prompt (at rate 0.5, one of any two turns is gold).
    expect(seen.filter((id) => id === goldId)).toHaveLength(3);
  });

  it("leaves gold prompts in the ordinary queue while the project does not use gold", async () => {
    const { project, promptIds } = await makeProject({ prompts: [...prompts("gold", 2, true)], n: 1 });
    const u = await makeUser();
    const a = (await claim(project.id, u.id))!;
    expect(a.kind).toBe("task");
    expect([...promptIds.values()]).toContain(a.promptId);
  });

  it("gives feedback with the expected order and the rationale after a miss, and none after a hit", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 4), ...prompts("gold", 4, true)], n: 1, goldRate: 0.5 });
    const u = await makeUser();
    const outcomes: { kind: string; feedback: unknown }[] = [];
    for (let i = 0; i < 4; i++) {
      const a = (await claim(project.id, u.id))!;
      // Miss the first gold prompt, hit the second.
      const right = a.kind !== "gold" || outcomes.some((o) => o.kind === "gold");
      const { feedback } = await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: await rankByText(a, right) });
      outcomes.push({ kind: a.kind, feedback });
      if (a.kind === "gold" && !right) {
        const ids = await completionIdsByText(a.promptId);
        const text = [...ids].find(([t]) => t.endsWith(" best"))![0].replace(/ best$/, "");
        expect(feedback).toEqual({ kind: "gold", miss: true, expected: { best: ids.get(`${text} best`), worst: ids.get(`${text} worst`) }, rationale: `${text}: the best one is right`, qualification: null });
      }
    }
    expect(outcomes.filter((o) => o.kind === "gold").map((o) => o.feedback === null)).toEqual([false, true]);
    expect(outcomes.filter((o) => o.kind === "task").every((o) => o.feedback === null)).toBe(true);
  });

  it("fixes a gold outcome at the first submit: a retry with the same key gets the same feedback", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 1), ...prompts("gold", 1, true)], n: 1, qualificationSize: 1, qualificationPassMark: 1 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id });
    const a = (await claim(project.id, u.id))!;
    const input = await rankByText(a, false);
    const first = await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input });
    const retry = await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input });
    expect(retry.duplicate).toBe(true);
    expect(retry.feedback).toEqual(first.feedback);
  });
});

describe(`qualification batch on ${testDialect}`, () => {
  it("gives a new member only qualification items until they pass, then real work", async () => {
    const { project, promptIds } = await makeProject({ prompts: [...prompts("real", 3), ...prompts("gold", 3, true)], n: 1, qualificationSize: 2, qualificationPassMark: 1 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id });
    const goldIds = new Set(["gold 0", "gold 1", "gold 2"].map((t) => promptIds.get(t)));
    for (let i = 0; i < 2; i++) {
      const a = (await claim(project.id, u.id))!;
      expect(a.kind).toBe("qualification");
      expect(goldIds.has(a.promptId)).toBe(true);
      const { feedback } = await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: await rankByText(a, true) });
      expect(feedback?.qualification).toMatchObject({ status: i === 0 ? "pending" : "passed", done: i + 1, correct: i + 1, size: 2, needed: 2 });
    }
    expect((await getMember({ projectId: project.id, userId: u.id }))?.qualificationStatus).toBe("passed");
    const real = (await claim(project.id, u.id))!;
    expect(real.kind).toBe("task");
  });

  it("blocks a member who failed with a clear message until an admin resets them; the retake uses unseen gold", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 2), ...prompts("gold", 4, true)], n: 1, qualificationSize: 2, qualificationPassMark: 0.5 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id });
    const firstBatch: string[] = [];
    const a1 = (await claim(project.id, u.id))!;
    firstBatch.push(a1.promptId);
    await submitRankingWithGoldCheck({ assignmentId: a1.id, userId: u.id, input: await rankByText(a1, false) });
    // Skipping a qualification item counts as wrong.
    const a2 = (await claim(project.id, u.id))!;
    firstBatch.push(a2.promptId);
    await skipTask({ id: a2.id, userId: u.id, reason: "too hard" });
    expect((await getMember({ projectId: project.id, userId: u.id }))?.qualificationStatus).toBe("failed");
    await expect(claim(project.id, u.id)).rejects.toMatchObject({ code: "forbidden", message: "You did not pass this project's qualification: 0 of 2 right, 1 needed. An admin can let you try again." });

    await resetQualification({ projectId: project.id, userId: u.id });
    const retake = (await claim(project.id, u.id))!;
    expect(retake).toMatchObject({ kind: "qualification", qualificationAttempt: 2 });
    expect(firstBatch).not.toContain(retake.promptId);
    const { feedback } = await submitRankingWithGoldCheck({ assignmentId: retake.id, userId: u.id, input: await rankByText(retake, true) });
    expect(feedback?.qualification).toMatchObject({ status: "pending", done: 1, correct: 1 });
  });

  it("keeps the verdict of a submitted item when the ranking is changed afterwards (an amendment cannot undo a miss)", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 1), ...prompts("gold", 2, true)], n: 1, qualificationSize: 1, qualificationPassMark: 1 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id });
    const a = (await claim(project.id, u.id))!;
    const { ranking } = await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: await rankByText(a, false) });
    const { db, t } = getDb();
    await db.update(t.rankings).set({ ranks: (await rankByText(a, true)).ranks }).where(eq(t.rankings.id, ranking.id));
    await expect(claim(project.id, u.id)).rejects.toMatchObject({ code: "forbidden" });
    expect((await getMember({ projectId: project.id, userId: u.id }))?.qualificationStatus).toBe("failed");
  });

  it("says so when there are not enough gold prompts left for the batch", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 2), ...prompts("gold", 1, true)], n: 1, qualificationSize: 3 });
    const u = await makeUser();
    await addMembers({ projectId: project.id, userIds: [u.id], addedBy: u.id });
    const a = (await claim(project.id, u.id))!;
    await submitRankingWithGoldCheck({ assignmentId: a.id, userId: u.id, input: rankInOrder(a.shownOrder!) });
    await expect(claim(project.id, u.id)).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("needs 3 gold prompts") });
  });

  it("does not hold back members who were working before the batch was set up, nor admins", async () => {
    const { project } = await makeProject({ prompts: [...prompts("real", 2), ...prompts("gold", 2, true)], n: 2, qualificationSize: 2 });
    const [veteran, admin] = [await makeUser(), await makeUser("admin")];
    await addMembers({ projectId: project.id, userIds: [veteran.id], addedBy: admin.id });
    // As the migration's backfill leaves the annotators who were already working.
    const { db, t } = getDb();
    await db.update(t.projectMembers).set({ qualificationStatus: "passed" }).where(eq(t.projectMembers.userId, veteran.id));
    expect((await claim(project.id, veteran.id))!.kind).toBe("task");
    expect((await claim(project.id, admin.id))!.kind).toBe("task");
  });
});
