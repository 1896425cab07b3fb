/** Projects, people and rankings for the queue's integration tests (membership, gold, qualification). */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { createProject } from "@/db/queries/projects";
import { importPrompts, setPromptGold, type PromptInput } from "@/db/queries/prompts";
import { createUser } from "@/db/queries/users";
import type { Role } from "@/lib/users/roles";

export type Prompt = PromptInput & { gold?: boolean };

/** A project whose prompts arrive with K completions each ("<text> best" … "<text> worst"); `gold` ones get that known answer. */
export async function makeProject(opts: { prompts: Prompt[]; n: number; k?: number; goldRate?: number; qualificationSize?: number; qualificationPassMark?: number }) {
  const k = opts.k ?? 3;
  const project = await createProject({
    name: `queue-${crypto.randomUUID()}`, completionsPerPrompt: k, rankingsPerPrompt: opts.n, modelId: "demo", decodingPresets: [],
    goldRate: opts.goldRate ?? 0, qualificationSize: opts.qualificationSize ?? 0, qualificationPassMark: opts.qualificationPassMark ?? 0.8,
  });
  const completions = (text: string) => Array.from({ length: k }, (_, j) => (j === 0 ? `${text} best` : j === k - 1 ? `${text} worst` : `${text} middle ${j}`));
  await importPrompts({ projectId: project.id, source: "test", prompts: opts.prompts.map((p) => ({ ...p, completions: completions(p.text!) })) });
  const { db, t } = getDb();
  const rows = await db.select({ id: t.prompts.id, text: t.prompts.text }).from(t.prompts).where(eq(t.prompts.projectId, project.id));
  const byText = new Map(rows.map((r) => [r.text!, r.id]));
  for (const p of opts.prompts.filter((x) => x.gold)) {
    const id = byText.get(p.text!)!;
    const ids = await completionIdsByText(id);
    await setPromptGold({ id, gold: { best: ids.get(`${p.text} best`), worst: ids.get(`${p.text} worst`), rationale: `${p.text}: the best one is right` } });
  }
  return { project, promptIds: byText };
}

export async function completionIdsByText(promptId: string): Promise<Map<string, string>> {
  const { db, t } = getDb();
  const rows = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(eq(t.completions.promptId, promptId));
  return new Map(rows.map((r) => [r.text, r.id]));
}

export async function makeUser(role: Role = "annotator") {
  const tag = crypto.randomUUID().slice(0, 8);
  return createUser({ email: `${role}-${tag}@queue.test`, name: `${role} ${tag}`, role, passwordHash: null });
}

/** A ranking input: `order` best first, no ties. */
export function rankInOrder(order: string[], submissionKey: string = crypto.randomUUID()) {
  return { ranks: Object.fromEntries(order.map((id, i) => [id, i + 1])), flags: {}, ratings: {}, rationale: "", timeSpentMs: 1000, submissionKey };
}

/** Ranks an assignment's completions by their text: "… best" first and "… worst" last when `right`, the other way round when not. */
export async function rankByText(a: { promptId: string; shownOrder: string[] | null }, right: boolean) {
  const texts = new Map([...(await completionIdsByText(a.promptId))].map(([text, id]) => [id, text]));
  const score = (id: string) => (texts.get(id)!.endsWith(" best") ? 0 : texts.get(id)!.endsWith(" worst") ? 2 : 1);
  const order = [...a.shownOrder!].sort((x, y) => (right ? score(x) - score(y) : score(y) - score(x)));
  return rankInOrder(order);
}
