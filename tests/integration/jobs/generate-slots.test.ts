import { eq } from "drizzle-orm";
import { describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { ensureBaseVersion } from "@/db/queries/model-versions";
import { createProject, getProjectById } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { countGenerationWork, setCompletionSlots } from "@/db/queries/version-slots";
import { addMembers } from "@/db/queries/members";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { seedFor } from "@/lib/generation/presets";
import type { JobContext } from "@/lib/jobs/define";
import { generateDefinition } from "@/lib/jobs/handlers/generate";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { registerTrainedVersion } from "@/lib/model-files/version-store";
import { useTempDataDir } from "../../support/data-dir";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { testDialect } from "../../support/test-db";
import { tinyModelFiles } from "../../support/tiny-model";

useTempDataDir();
const tinyModel = useTestDatabaseWithTinyModel();
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const nextTask = await import("@/app/api/projects/[id]/tasks/next/route");

const presets = [
  { name: "greedy", config: { temperature: 0, max_new_tokens: 6 } },
  { name: "hot", config: { temperature: 1.0, top_k: 20, max_new_tokens: 6 } },
];

/** Runs the generation handler as the worker would, for a job queued with the work the route would count. */
async function generate(projectId: string) {
  const job = await enqueueJob({ job: generateJob, payload: { projectId }, projectId, progressTotal: await countGenerationWork({ projectId }) });
  const ctx: JobContext = { job: (await getJob({ id: job.id }))!, signal: new AbortController().signal, progress: async () => {} };
  return generateDefinition.handler({ projectId }, ctx);
}

async function completionsOf(projectId: string) {
  const { db, t } = getDb();
  const rows = await db.select({ c: t.completions, projectId: t.prompts.projectId }).from(t.completions).innerJoin(t.prompts, eq(t.prompts.id, t.completions.promptId));
  return rows.filter((r) => r.projectId === projectId).map((r) => r.c);
}

describe(`completion slots on ${testDialect}`, () => {
  it("adds a new version's completions beside the kept ones, and the ranking screen never says which is which", async () => {
    const project = await createProject({ name: `slots-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: tinyModel.modelDir(), decodingPresets: presets });
    await importPrompts({ projectId: project.id, source: "test", prompts: [{ text: "What is 1 + 1?" }, { text: "Name a colour." }, { text: "Brought along", completions: ["x", "y"] }] });
    expect(await generate(project.id)).toMatchObject({ prompts: 2 });
    const base = await ensureBaseVersion({ projectId: project.id });
    const first = await completionsOf(project.id);
    // Without a slot setting: K completions of base per prompt that had none; the imported prompt keeps its own two.
    expect(first.filter((c) => c.versionId === base.id)).toHaveLength(4);
    expect(first.filter((c) => c.modelId === "imported").map((c) => c.versionId)).toEqual([null, null]);

    const dpo = await registerTrainedVersion({ projectId: project.id, name: "dpo-1", parentId: base.id, method: "dpo", files: tinyModelFiles({ seed: 2 }), card: { data: null, hyperParameters: {}, metrics: {} } });
    await setCompletionSlots({ projectId: project.id, slots: [{ versionId: base.id, preset: "greedy" }, { versionId: base.id, preset: "hot" }, { versionId: dpo.id, preset: "greedy" }] });
    expect((await getProjectById({ id: project.id }))!.completionsPerPrompt).toBe(3);
    // Every prompt lacks dpo-1's slot; the imported one also lacks both base slots.
    expect(await countGenerationWork({ projectId: project.id })).toBe(4);
    await generate(project.id);
    const after = await completionsOf(project.id);
    for (const c of first) expect(after.find((a) => a.id === c.id)).toEqual(c);
    const added = after.filter((a) => !first.some((c) => c.id === a.id));
    expect(added).toHaveLength(5);
    const fromDpo = added.filter((c) => c.versionId === dpo.id);
    expect(fromDpo).toHaveLength(3);
    for (const c of fromDpo) {
      expect(c).toMatchObject({ modelId: "version:dpo-1", presetName: "greedy", seed: seedFor(c.promptId, 2) });
      expect(c.tokenCount).toBeGreaterThan(0);
    }
    expect(await countGenerationWork({ projectId: project.id })).toBe(0);
    await generate(project.id);
    expect(await completionsOf(project.id)).toHaveLength(after.length);

    const annotator = await createUser({ email: `ann-${Math.random()}@x.test`, name: "Ann", role: "annotator", passwordHash: null });
    await addMembers({ projectId: project.id, userIds: [annotator.id], addedBy: annotator.id });
    session.user = { id: annotator.id, email: annotator.email, name: annotator.name, role: "annotator", sessionId: "s" };
    const res = await nextTask.POST(new Request(`http://test/api/projects/${project.id}/tasks/next`, { method: "POST" }), { params: Promise.resolve({ id: project.id }) });
    const { task } = await res.json();
    expect(Object.keys(task).sort()).toEqual(["assignmentId", "completions", "guidelines", "leaseExpiresAt", "projectId", "projectName", "prompt", "rubric"]);
    expect(task.completions.length).toBeGreaterThanOrEqual(3);
    for (const c of task.completions) expect(Object.keys(c).sort()).toEqual(["id", "text"]);
    const strings = (v: unknown): string[] => (typeof v === "string" ? [v] : v && typeof v === "object" ? Object.values(v).flatMap(strings) : []);
    for (const s of strings(task)) {
      for (const secret of [base.id, dpo.id, tinyModel.modelDir()]) expect(s).not.toContain(secret);
      expect(["base", "dpo-1", "version:dpo-1", "greedy", "hot", "imported"]).not.toContain(s);
    }
  });
});
