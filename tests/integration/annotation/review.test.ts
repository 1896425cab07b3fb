import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { iterateExportGroups, listRankingIds } from "@/db/queries/export-data";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { submitRanking } from "@/db/queries/rankings";
import { countReviewStatuses, listReviewQueue, reviewRanking } from "@/db/queries/reviews";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import type { PromptGroup } from "@/lib/datasets/types";
import type { Role } from "@/lib/users/roles";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

const user = (role: Role) => createUser({ email: `${role}-${crypto.randomUUID()}@x.test`, name: `${role} ${Math.random().toString(36).slice(2, 6)}`, role, passwordHash: null });

async function projectWith(opts: { prompts: number; n: number }) {
  const project = await createProject({ name: `r-${Math.random()}`, completionsPerPrompt: 3, rankingsPerPrompt: opts.n, modelId: "demo", decodingPresets: [] });
  await importPrompts({ projectId: project.id, source: "test", prompts: Array.from({ length: opts.prompts }, (_, i) => ({ text: `prompt ${i}`, completions: ["x", "y", "z"].map((c) => `${c}${i}`) })) });
  return project;
}

/** Claims the next task and ranks it in shown order (first shown best). */
async function claimAndRank(projectId: string, userId: string) {
  const a = await claimTask({ projectId, userId, leaseMs: 60_000 });
  if (!a) return null;
  const ranks = Object.fromEntries(a.shownOrder!.map((id, i) => [id, i + 1]));
  const { ranking } = await submitRanking({ assignmentId: a.id, userId, input: { ranks, flags: {}, ratings: {}, rationale: "because", timeSpentMs: 1000, submissionKey: crypto.randomUUID() } });
  return ranking;
}

async function exported(projectId: string, reviewStatuses?: Parameters<typeof iterateExportGroups>[0]["reviewStatuses"]) {
  const groups: PromptGroup[] = [];
  for await (const g of iterateExportGroups({ projectId, reviewStatuses })) groups.push(g);
  return groups.flatMap((g) => g.rankings);
}

describe(`review and adjudication on ${testDialect}`, () => {
  it("a rejected ranking no longer counts towards N: its prompt goes back to the queue, for someone else", async () => {
    const project = await projectWith({ prompts: 1, n: 1 });
    const [first, second, reviewer] = [await user("annotator"), await user("annotator"), await user("reviewer")];
    const ranking = (await claimAndRank(project.id, first.id))!;
    expect(await claimTask({ projectId: project.id, userId: second.id, leaseMs: 60_000 })).toBeNull();
    await reviewRanking({ rankingId: ranking.id, reviewerId: reviewer.id, decision: "rejected", revision: 1, note: "random order" });
    expect(await claimTask({ projectId: project.id, userId: first.id, leaseMs: 60_000 })).toBeNull();
    const again = await claimTask({ projectId: project.id, userId: second.id, leaseMs: 60_000 });
    expect(again?.promptId).toBe(ranking.promptId);
    // Exports, reward-model data and their snapshot leave it out unless asked for.
    expect(await exported(project.id)).toEqual([]);
    expect(await listRankingIds({ projectId: project.id })).toEqual([]);
    expect((await exported(project.id, ["rejected"])).map((r) => r.reviewStatus)).toEqual(["rejected"]);
  });

  it("a re-ranking wins in exports, and the status filter and counts see every decision", async () => {
    const project = await projectWith({ prompts: 3, n: 1 });
    const [annotator, reviewer] = [await user("annotator"), await user("reviewer")];
    const rankings = [(await claimAndRank(project.id, annotator.id))!, (await claimAndRank(project.id, annotator.id))!, (await claimAndRank(project.id, annotator.id))!];
    const [accepted, adjudicated] = rankings;
    await reviewRanking({ rankingId: accepted!.id, reviewerId: reviewer.id, decision: "accepted", revision: 1, note: "" });
    const reversed = Object.fromEntries(Object.entries(adjudicated!.ranks).map(([id, r]) => [id, 4 - r]));
    await reviewRanking({ rankingId: adjudicated!.id, reviewerId: reviewer.id, decision: "adjudicated", revision: 1, ranks: reversed, note: "the last is best" });
    const all = await exported(project.id);
    expect(all.find((r) => r.promptId === adjudicated!.promptId)).toMatchObject({ ranks: reversed, reviewStatus: "adjudicated" });
    expect(all.map((r) => r.reviewStatus).sort()).toEqual(["accepted", "adjudicated", "pending"]);
    expect((await exported(project.id, ["accepted", "adjudicated"])).length).toBe(2);
    expect(await countReviewStatuses({ projectId: project.id })).toEqual({ pending: 1, accepted: 1, adjudicated: 1, rejected: 0 });
  });

  it("refuses a second review, a review of one's own ranking, a stale version and a bad re-ranking", async () => {
    const project = await projectWith({ prompts: 2, n: 1 });
    const [annotator, reviewer] = [await user("annotator"), await user("reviewer")];
    const r1 = (await claimAndRank(project.id, annotator.id))!;
    const own = (await claimAndRank(project.id, reviewer.id))!;
    const decide = (over: Partial<Parameters<typeof reviewRanking>[0]>) => reviewRanking({ rankingId: r1.id, reviewerId: reviewer.id, decision: "accepted", revision: 1, note: "", ...over });
    await expect(decide({ revision: 2 })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("changed this ranking") });
    await expect(decide({ decision: "adjudicated" })).rejects.toMatchObject({ code: "bad_request", message: "ranks: required to re-rank" });
    await expect(decide({ decision: "adjudicated", ranks: r1.ranks })).rejects.toMatchObject({ message: expect.stringContaining("accept the ranking instead") });
    const ids = Object.keys(r1.ranks);
    await expect(decide({ decision: "adjudicated", ranks: { [ids[0]!]: 1, [ids[1]!]: 3, [ids[2]!]: 3 } })).rejects.toMatchObject({ message: expect.stringContaining("dense") });
    await expect(decide({ decision: "adjudicated", ranks: { [ids[0]!]: 1, [ids[1]!]: 2 } })).rejects.toMatchObject({ message: expect.stringContaining("exactly the 3 completions") });
    await expect(decide({ ranks: r1.ranks })).rejects.toMatchObject({ message: expect.stringContaining("only a re-ranking carries ranks") });
    await expect(reviewRanking({ rankingId: own.id, reviewerId: reviewer.id, decision: "accepted", revision: 1, note: "" })).rejects.toMatchObject({ code: "forbidden" });
    await decide({});
    await expect(decide({ decision: "rejected" })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already reviewed (accepted)") });
    const { db, t } = getDb();
    expect((await db.select().from(t.rankingReviews)).filter((r) => r.rankingId === r1.id)).toHaveLength(1);
  });

  it("lists what the reviewer judges, oldest first, never their own rankings", async () => {
    const project = await projectWith({ prompts: 3, n: 2 });
    const [annotator, reviewer] = [await user("annotator"), await user("reviewer")];
    const first = (await claimAndRank(project.id, annotator.id))!;
    await claimAndRank(project.id, annotator.id);
    await claimAndRank(project.id, reviewer.id);
    const queue = await listReviewQueue({ projectId: project.id, reviewerId: reviewer.id, status: "pending", limit: 1 });
    expect(queue.total).toBe(2);
    expect(queue.items).toHaveLength(1);
    expect(queue.items[0]).toMatchObject({ rankingId: first.id, annotator: annotator.name, rationale: "because", revision: 1, ranks: first.ranks, review: null, prompt: { text: expect.stringMatching(/^prompt /) } });
    expect(queue.items[0]!.completions.map((c) => c.id)).toEqual(first.shownOrder);
    expect(queue.items[0]!.completions.every((c) => c.text.length > 0)).toBe(true);
  });
});
