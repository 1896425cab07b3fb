import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createProject, updateProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { submitRanking } from "@/db/queries/rankings";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

/** A one-prompt project with `k` imported completions, and an annotator holding its task. */
async function heldTask(k: number) {
  const project = await createProject({ name: `r-${crypto.randomUUID()}`, completionsPerPrompt: k, rankingsPerPrompt: 2, modelId: "demo", decodingPresets: [] });
  await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "Which is best?", completions: Array.from({ length: k }, (_, j) => `answer ${j}`) }] });
  const user = await createUser({ email: `r-${crypto.randomUUID()}@x.test`, name: "R", role: "annotator", passwordHash: null });
  const task = (await claimTask({ projectId: project.id, userId: user.id, leaseMs: 60_000 }))!;
  const shown = task.shownOrder!;
  const submit = (ranks: number[] | Record<string, number>, extra: { shownOrder?: string[] } = {}) =>
    submitRanking({
      assignmentId: task.id,
      userId: user.id,
      input: { ranks: Array.isArray(ranks) ? Object.fromEntries(shown.map((id, i) => [id, ranks[i]])) : ranks, flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey: crypto.randomUUID(), ...extra },
    });
  return { project, task, shown, submit };
}

describe(`submitting a ranking on ${testDialect}`, () => {
  it.each([[[1, 4, 4, 4]], [[1, 3, 3, 3]], [[2, 2, 3, 4]], [[1, 2, 4, 4]], [[1, 1, 3, 3]]])("refuses ranks with gaps %j", async (ranks) => {
    const { submit } = await heldTask(4);
    await expect(submit(ranks)).rejects.toMatchObject({ code: "bad_request", message: expect.stringMatching(/^ranks: must be dense/) });
  });

  it.each([[[1, 2, 3, 4]], [[1, 1, 2, 3]], [[2, 1, 1, 3]], [[1, 1, 1, 1]], [[1, 2, 2, 2]]])("accepts dense ranks with ties %j", async (ranks) => {
    const { submit } = await heldTask(4);
    expect((await submit(ranks)).duplicate).toBe(false);
  });

  it("ranks exactly the completions shown, even when the prompt gained one after the task was handed out", async () => {
    const { task, shown, submit } = await heldTask(3);
    const { db, t } = getDb();
    const [late] = await db.insert(t.completions).values({ promptId: task.promptId, text: "a late answer", modelId: "import", presetName: "import", decodingConfig: {}, seed: 0, tokenCount: 0, finishReason: "stop" }).returning();
    await expect(submit({ ...Object.fromEntries(shown.map((id, i) => [id, i + 1])), [late.id]: 4 })).rejects.toMatchObject({ message: expect.stringMatching(/not completions shown in this task/) });
    const { ranking } = await submit([1, 2, 3]);
    expect(Object.keys(ranking.ranks as Record<string, number>).sort()).toEqual([...shown].sort());
    expect(ranking.shownOrder).toEqual(shown);
  });

  it("refuses a shown order other than the stored one", async () => {
    const { shown, submit } = await heldTask(3);
    await expect(submit([1, 2, 3], { shownOrder: [...shown].reverse() })).rejects.toMatchObject({ message: expect.stringMatching(/^shownOrder/) });
    expect((await submit([1, 2, 3], { shownOrder: shown })).duplicate).toBe(false);
  });

  it("refuses a task whose shown completion was removed", async () => {
    const { shown, submit } = await heldTask(3);
    const { db, t } = getDb();
    await db.delete(t.completions).where(eq(t.completions.id, shown[0]));
    await expect(submit([1, 2, 3])).rejects.toMatchObject({ code: "gone" });
  });

  it.each(["paused", "archived", "draft"] as const)("refuses a ranking once the project is %s", async (status) => {
    const { project, submit } = await heldTask(3);
    await updateProject({ id: project.id, status });
    await expect(submit([1, 2, 3])).rejects.toMatchObject({ code: "conflict", message: expect.stringMatching(/not accepting rankings/) });
    await updateProject({ id: project.id, status: "active" });
    expect((await submit([1, 2, 3])).duplicate).toBe(false);
  });
});
