import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { iterateExportGroups } from "@/db/queries/export-data";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { amendRanking, getOwnRankingView, listOwnRankings, listRankingRevisions } from "@/db/queries/ranking-history";
import { submitRanking, type RankingInput } from "@/db/queries/rankings";
import { reviewRanking } from "@/db/queries/reviews";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
});
afterAll(() => cleanup());

const newUser = (role: "annotator" | "reviewer" = "annotator") => createUser({ email: `${role}-${crypto.randomUUID()}@x.test`, name: role, role, passwordHash: null });
const input = (ranks: Record<string, number>, over: Partial<RankingInput> = {}): RankingInput => ({ ranks, flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey: crypto.randomUUID(), ...over });

/** A project with `prompts` prompts of three completions, and one ranking per prompt by `userId` (first shown best). */
async function rankedBy(userId: string, prompts = 1) {
  const project = await createProject({ name: `a-${Math.random()}`, completionsPerPrompt: 3, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
  await importPrompts({ projectId: project.id, source: "test", prompts: Array.from({ length: prompts }, (_, i) => ({ text: `q${i}`, completions: [`a${i}`, `b${i}`, `c${i}`] })) });
  const rankings = [];
  for (let i = 0; i < prompts; i++) {
    const a = (await claimTask({ projectId: project.id, userId, leaseMs: 60_000 }))!;
    await new Promise((r) => setTimeout(r, 3)); // distinct createdAt, so "newest first" is well defined
    rankings.push((await submitRanking({ assignmentId: a.id, userId, input: input(Object.fromEntries(a.shownOrder!.map((id, j) => [id, j + 1])), { rationale: "first", flags: { [a.shownOrder![2]!]: ["low_quality"] } }) })).ranking);
  }
  return { project, rankings };
}

describe(`amending one's own ranking on ${testDialect}`, () => {
  it("keeps the replaced version in history while exports read the latest", async () => {
    const me = await newUser();
    const { project, rankings: [r] } = await rankedBy(me.id);
    const reversed = Object.fromEntries(Object.entries(r!.ranks).map(([id, k]) => [id, 4 - k]));
    const { ranking, duplicate } = await amendRanking({ rankingId: r!.id, userId: me.id, revision: 1, input: input(reversed, { rationale: "second thoughts", timeSpentMs: 500 }) });
    expect(duplicate).toBe(false);
    expect(ranking).toMatchObject({ ranks: reversed, rationale: "second thoughts", revision: 2, timeSpentMs: 1500, flags: {}, createdAt: r!.createdAt });
    expect(ranking.amendedAt).toBeInstanceOf(Date);
    const [old] = await listRankingRevisions({ rankingId: r!.id });
    expect(old).toMatchObject({ revision: 1, submittedAt: r!.createdAt, content: { ranks: r!.ranks, rationale: "first", flags: r!.flags, submissionKey: r!.submissionKey, timeSpentMs: 1000 } });
    const groups = [];
    for await (const g of iterateExportGroups({ projectId: project.id })) groups.push(g);
    expect(groups.flatMap((g) => g.rankings).map((x) => x.ranks)).toEqual([reversed]);
    const view = await getOwnRankingView({ id: r!.id, userId: me.id });
    expect(view.ranking).toMatchObject({ revision: 2, ranks: reversed });
    expect(view.revisions).toEqual([{ revision: 1, submittedAt: r!.createdAt, ranks: r!.ranks }]);
    expect(view.task.completions.map((c) => c.id)).toEqual(r!.shownOrder);
    expect(view.task.leaseExpiresAt).toBeNull();
  });

  it("treats a retry with the same submission key as the same amendment", async () => {
    const me = await newUser();
    const { rankings: [r] } = await rankedBy(me.id);
    const again = input(Object.fromEntries(Object.keys(r!.ranks).map((id) => [id, 1])));
    await amendRanking({ rankingId: r!.id, userId: me.id, revision: 1, input: again });
    const retry = await amendRanking({ rankingId: r!.id, userId: me.id, revision: 1, input: again });
    expect(retry).toMatchObject({ duplicate: true, ranking: { revision: 2 } });
    expect(await listRankingRevisions({ rankingId: r!.id })).toHaveLength(1);
  });

  it("refuses once reviewed, a stale version, someone else's ranking and ranks of other completions", async () => {
    const [me, other, reviewer] = [await newUser(), await newUser(), await newUser("reviewer")];
    const { rankings: [r, s] } = await rankedBy(me.id, 2);
    const tie = Object.fromEntries(Object.keys(r!.ranks).map((id) => [id, 1]));
    await expect(amendRanking({ rankingId: r!.id, userId: other.id, revision: 1, input: input(tie) })).rejects.toMatchObject({ code: "not_found" });
    await expect(amendRanking({ rankingId: r!.id, userId: me.id, revision: 3, input: input(tie) })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("changed since you opened it") });
    await expect(amendRanking({ rankingId: r!.id, userId: me.id, revision: 1, input: input(s!.ranks) })).rejects.toMatchObject({ code: "bad_request" });
    await reviewRanking({ rankingId: r!.id, reviewerId: reviewer.id, decision: "accepted", revision: 1, note: "" });
    await expect(amendRanking({ rankingId: r!.id, userId: me.id, revision: 1, input: input(tie) })).rejects.toMatchObject({ code: "conflict", message: expect.stringContaining("already reviewed (accepted)") });
    expect(await listRankingRevisions({ rankingId: r!.id })).toEqual([]);
    // A reviewer who opened version 1 cannot decide on version 2.
    await amendRanking({ rankingId: s!.id, userId: me.id, revision: 1, input: input(Object.fromEntries(Object.keys(s!.ranks).map((id) => [id, 1]))) });
    await expect(reviewRanking({ rankingId: s!.id, reviewerId: reviewer.id, decision: "accepted", revision: 1, note: "" })).rejects.toMatchObject({ code: "conflict" });
  });

  it("lists the annotator's latest rankings newest first with their review status", async () => {
    const [me, reviewer] = [await newUser(), await newUser("reviewer")];
    const { project, rankings } = await rankedBy(me.id, 3);
    await reviewRanking({ rankingId: rankings[0]!.id, reviewerId: reviewer.id, decision: "rejected", revision: 1, note: "" });
    const mine = await listOwnRankings({ projectId: project.id, userId: me.id });
    expect(mine.map((m) => m.id)).toEqual([rankings[2]!.id, rankings[1]!.id, rankings[0]!.id]);
    expect(mine.map((m) => m.reviewStatus)).toEqual(["pending", "pending", "rejected"]);
    expect(mine[0]!.promptText).toMatch(/^q\d$/);
  });
});
