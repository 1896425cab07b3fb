/**
 * Seeds a project with prompts, completions, annotators and rankings straight
 * through the database, for export and reward-model tests.
 */
import { getDb } from "@/db/client";
import { createProject } from "@/db/queries/projects";
import { promptContentHash } from "@/db/queries/prompts";
import { createUser } from "@/db/queries/users";

export interface SeedPrompt {
  text: string;
  /** Completion texts; their ids come back in the same order. */
  completions: { text: string; preset?: string }[];
  /** One entry per annotator (by index): ranks per completion index (1 best), or null for "did not rank". */
  ranks: (number[] | null)[];
  flags?: Record<number, string[]>[];
}

export async function seedPreferenceProject(opts: { name?: string; annotators: number; prompts: SeedPrompt[]; modelId?: string }) {
  const { db, t } = getDb();
  const tag = Math.random().toString(36).slice(2, 8);
  const project = await createProject({
    name: opts.name ?? `pref-${tag}`, completionsPerPrompt: 3, rankingsPerPrompt: opts.annotators, modelId: opts.modelId ?? "demo",
    decodingPresets: [{ name: "greedy", config: { temperature: 0 } }],
  });
  const users = [];
  for (let a = 0; a < opts.annotators; a++) {
    users.push(await createUser({ email: `ann${a}-${tag}@test.local`, name: `Annotator ${a}`, role: "annotator", passwordHash: null }));
  }
  const promptIds: string[] = [];
  const completionIds: string[][] = [];
  let clock = Date.UTC(2026, 0, 1);
  for (const p of opts.prompts) {
    const [prompt] = await db.insert(t.prompts).values({ projectId: project.id, text: p.text, contentHash: promptContentHash({ text: p.text }) }).returning();
    const comps = await db.insert(t.completions).values(p.completions.map((c) => ({ promptId: prompt.id, text: c.text, modelId: "test", presetName: c.preset ?? "greedy" }))).returning();
    const ids = p.completions.map((c) => comps.find((r) => r.text === c.text)!.id);
    promptIds.push(prompt.id);
    completionIds.push(ids);
    for (let a = 0; a < p.ranks.length; a++) {
      const ranks = p.ranks[a];
      if (!ranks) continue;
      const flags = Object.fromEntries(Object.entries(p.flags?.[a] ?? {}).map(([i, f]) => [ids[Number(i)], f]));
      await db.insert(t.rankings).values({
        projectId: project.id, promptId: prompt.id, userId: users[a].id, shownOrder: ids,
        ranks: Object.fromEntries(ranks.map((r, i) => [ids[i], r])), flags, ratings: {}, rationale: "", timeSpentMs: 1000,
        submissionKey: crypto.randomUUID(), createdAt: new Date((clock += 60_000)),
      });
    }
  }
  return { project, users, promptIds, completionIds };
}
