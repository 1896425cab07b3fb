import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { createProject, updateProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { submitRanking } from "@/db/queries/rankings";
import { getScoreReveal } from "@/db/queries/score-reveal";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

describe(`post-submit score reveal on ${testDialect}`, () => {
  it("shows the newest ready reward model's scores only after submitting, and only when the project turns it on", async () => {
    const project = await createProject({ name: "reveal", completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
    await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "q", completions: ["good", "bad"] }] });
    const [u, other] = await Promise.all(["r1", "r2"].map((n) => createUser({ email: `${n}@x.test`, name: n, role: "annotator", passwordHash: null })));
    const a = (await claimTask({ projectId: project.id, userId: u.id, leaseMs: 60_000 }))!;
    const { db, t } = getDb();
    const [rm] = await db.insert(t.rewardModels).values({ projectId: project.id, version: 1, config: {}, status: "ready" }).returning();
    await db.insert(t.rewardScores).values(a.shownOrder!.map((id, i) => ({ rewardModelId: rm.id, completionId: id, score: i === 0 ? 1.5 : -0.5 })));
    await updateProject({ id: project.id, revealScores: true });

    expect(await getScoreReveal({ assignmentId: a.id, userId: u.id })).toBeNull(); // not submitted yet
    await submitRanking({ assignmentId: a.id, userId: u.id, input: { ranks: { [a.shownOrder![0]]: 1, [a.shownOrder![1]]: 2 }, flags: {}, ratings: {}, rationale: "", timeSpentMs: 5, submissionKey: crypto.randomUUID() } });
    expect(await getScoreReveal({ assignmentId: a.id, userId: u.id })).toEqual({ version: 1, scores: { [a.shownOrder![0]]: 1.5, [a.shownOrder![1]]: -0.5 } });
    await expect(getScoreReveal({ assignmentId: a.id, userId: other.id })).rejects.toMatchObject({ code: "not_found" });

    await updateProject({ id: project.id, revealScores: false });
    expect(await getScoreReveal({ assignmentId: a.id, userId: u.id })).toBeNull();
  });
});
