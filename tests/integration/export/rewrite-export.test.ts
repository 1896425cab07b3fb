import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { inArray } from "drizzle-orm";
import { runExport } from "@/cli/commands/export";
import { getDb } from "@/db/client";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { listProjectAnnotators, submitRanking } from "@/db/queries/rankings";
import { claimTask } from "@/db/queries/tasks";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { setupTestDatabase, testDialect } from "../../support/test-db";

const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const { GET: exportRoute } = await import("@/app/api/projects/[id]/export/route");

let cleanup: () => Promise<void>;
let dir: string;
let projectId: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "rewrite-export-"));
  const project = await createProject({
    name: "Rewrites", completionsPerPrompt: 2, rankingsPerPrompt: 2, modelId: "demo", decodingPresets: [],
    rubric: { scale: "full", flags: [], overallRating: true, aspects: [{ id: "helpfulness", label: "Helpfulness", description: "" }] },
  });
  projectId = project.id;
  await importPrompts({ projectId, source: "test", prompts: [{ text: "Capital of France?", completions: ["Lyon.", "Paris."] }] });
  // Through the real submit path: one annotator rewrites "Lyon." and ranks the rewrite first; the other ranks the model's two.
  const [u1, u2] = await Promise.all(["u1", "u2"].map((n) => createUser({ email: `${n}@x.test`, name: n, role: "annotator", passwordHash: null })));
  const a1 = (await claimTask({ projectId, userId: u1.id, leaseMs: 60_000 }))!;
  const rw = crypto.randomUUID();
  const byText = await idsByText(a1.shownOrder!);
  const [l, p] = [byText["Lyon."]!, byText["Paris."]!];
  await submitRanking({ assignmentId: a1.id, userId: u1.id, input: { ranks: { [rw]: 1, [p]: 2, [l]: 3 }, flags: {}, ratings: {}, aspectRatings: { [rw]: { helpfulness: 7 }, [l]: { helpfulness: 1 } }, rewrites: [{ id: rw, parentId: l, text: "Paris, on the Seine." }], rationale: "", timeSpentMs: 1, submissionKey: crypto.randomUUID() } });
  const a2 = (await claimTask({ projectId, userId: u2.id, leaseMs: 60_000 }))!;
  await submitRanking({ assignmentId: a2.id, userId: u2.id, input: { ranks: { [p]: 1, [l]: 2 }, flags: {}, ratings: {}, aspectRatings: { [p]: { helpfulness: 6 } }, rationale: "", timeSpentMs: 1, submissionKey: crypto.randomUUID() } });
  session.user = { id: u1.id, email: "r@x.test", name: "R", role: "researcher", sessionId: "s" };
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function idsByText(ids: string[]): Promise<Record<string, string>> {
  const { db, t } = getDb();
  const rows = await db.select({ id: t.completions.id, text: t.completions.text }).from(t.completions).where(inArray(t.completions.id, ids));
  return Object.fromEntries(rows.map((r) => [r.text, r.id]));
}

async function download(query: string) {
  const res = await exportRoute(new Request(`http://test/api/projects/${projectId}/export?${query}`), { params: Promise.resolve({ id: projectId }) });
  return res.text();
}

const quiet = async <T>(fn: () => Promise<T>) => {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
};

describe(`exports of rewrites and aspect ratings on ${testDialect}`, () => {
  it("marks the rewrite source: human in raw rankings and CSV, with the rubric's aspect columns", async () => {
    const raw = (await download("format=raw-rankings")).trim().split("\n").map((line) => JSON.parse(line));
    const withRewrite = raw.find((r) => r.sources);
    expect(Object.values(withRewrite.sources).sort()).toEqual(["human", "model", "model"]);
    const human = Object.keys(withRewrite.sources).find((id) => withRewrite.sources[id] === "human")!;
    expect(withRewrite.completions[human]).toBe("Paris, on the Seine.");
    expect(withRewrite.aspectRatings[human]).toEqual({ helpfulness: 7 });
    expect(raw.filter((r) => !r.sources)).toHaveLength(1);

    const csv = (await download("format=csv&pseudonymise=false")).split("\r\n");
    expect(csv[0]).toBe("prompt_id,annotator_id,prompt,chosen_id,chosen,rejected_id,rejected,tie,margin,agreement,chosen_context,rejected_context,chosen_source,rejected_source,chosen_helpfulness,rejected_helpfulness");
    expect(csv.find((l) => l.includes("Paris, on the Seine.") && l.includes("Lyon."))).toMatch(/,human,model,7,1$/);
  });

  it("lists who ranked in the project for the export form's annotator filter", async () => {
    expect((await listProjectAnnotators({ projectId })).map((a) => a.name)).toEqual(["u1", "u2"]);
  });

  it("studio export --format sft writes each distinct best response, the rewrite included, and a card that counts it", async () => {
    const out = path.join(dir, "sft.jsonl");
    const card = path.join(dir, "README.md");
    expect(await quiet(() => runExport(["--project", "Rewrites", "--format", "sft", "--test-fraction", "0", "--out", out, "--card", card]))).toBe(0);
    const lines = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(lines).toEqual([
      { prompt: [{ role: "user", content: "Capital of France?" }], completion: [{ role: "assistant", content: expect.any(String) }] },
      { prompt: [{ role: "user", content: "Capital of France?" }], completion: [{ role: "assistant", content: expect.any(String) }] },
    ]);
    expect(lines.map((l) => l.completion[0].content).sort()).toEqual(["Paris, on the Seine.", "Paris."]);
    const readme = fs.readFileSync(card, "utf8");
    expect(readme).toContain("| train | 2 |");
    expect(readme).toContain("- Human-written completions (annotators' rewrites): 1");
    expect(readme).toContain("TRL's conversational prompt-completion shape");
    expect(readme).toContain("- Aspect ratings (1–7) of the project's rubric: helpfulness");
  });
});
