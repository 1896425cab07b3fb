import fs from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { countPromptsWithoutCompletions } from "@/db/queries/completions";
import { claimNextJob, enqueueJob, heartbeatJob, type JobRow } from "@/db/queries/jobs";
import { createProject, getProjectById } from "@/db/queries/projects";
import { createUser } from "@/db/queries/users";
import type { SessionUser } from "@/lib/auth/session";
import { clearSkippedPrompts, importPrompts, listSkippedPrompts } from "@/db/queries/prompts";
import { resetEnvCache } from "@/lib/env";
import { generationSettingsKey } from "@/lib/generation/settings-key";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { useTestDatabaseWithTinyModel } from "../../support/db-with-tiny-model";
import { runJobToEnd } from "../../support/run-job";
import { testDialect } from "../../support/test-db";

// The routes run for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const { POST: startGeneration } = await import("@/app/api/projects/[id]/generate/route");
const { GET: listSkipped, DELETE: retrySkipped } = await import("@/app/api/projects/[id]/generate/skipped/route");
const { GET: listPrompts, POST: importRoute } = await import("@/app/api/projects/[id]/prompts/route");

const tiny = useTestDatabaseWithTinyModel();
afterEach(() => {
  delete process.env.KV_CACHE_BUDGET_MB;
  resetEnvCache();
});

// The tiny model's context is 256 positions; its byte-level BPE spends about a token per character.
const LONG = `Please repeat: ${"many words ".repeat(60)}`;
const greedy = (maxNewTokens = 8) => [{ name: "greedy", config: { temperature: 0, max_new_tokens: maxNewTokens } }];

async function projectWith(prompts: { text?: string; messages?: { role: string; content: string }[] }[], opts: { presets?: { name: string; config: Record<string, unknown> }[]; modelId?: string } = {}) {
  const project = await createProject({ name: `skip-${Math.random()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: opts.modelId ?? tiny.modelDir(), decodingPresets: opts.presets ?? greedy() });
  await importPrompts({ projectId: project.id, source: "test", prompts });
  return project;
}

async function asAdmin() {
  const admin = await createUser({ email: `admin-${Math.random()}@test.local`, name: "Admin", role: "admin", passwordHash: null });
  session.user = { id: admin.id, email: admin.email, name: admin.name, role: "admin", sessionId: "s" };
}

async function call(route: (req: Request, ctx: { params: Promise<{ id: string }> }) => Promise<Response>, method: string, url: string, id: string, body?: unknown) {
  const init = body === undefined ? { method } : { method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) };
  const res = await route(new Request(`http://test${url}`, init), { params: Promise.resolve({ id }) });
  return { status: res.status, body: await res.json() };
}

/** "Generate completions" as the admin page does it (POST …/generate), then a worker runs the job to its end. */
async function generate(projectId: string): Promise<JobRow> {
  if (!session.user) await asAdmin();
  const { status, body } = await call(startGeneration, "POST", `/api/projects/${projectId}/generate`, projectId);
  expect(status).toBe(200);
  return runJobToEnd((body as { job: JobRow }).job.id);
}

async function promptsOf(projectId: string) {
  const { db, t } = getDb();
  const prompts = (await db.select().from(t.prompts)).filter((p) => p.projectId === projectId);
  const completions = await db.select().from(t.completions);
  return prompts.map((p) => ({ text: p.text ?? p.messages?.[0]?.content, error: p.generationError, completions: completions.filter((c) => c.promptId === p.id).length }));
}

describe(`generation jobs that meet a prompt they cannot generate, on ${testDialect}`, () => {
  it("mark a prompt too long for the context with the reason, skip it, generate the others, and a rerun is not stuck on it", async () => {
    const project = await projectWith([{ text: "What is 1 + 1?" }, { text: LONG }, { text: "Name a colour." }]);
    const done = await generate(project.id);
    expect(done.error).toBeNull();
    expect(done.status).toBe("succeeded");
    expect(done.progressDone).toBe(3);
    expect(done.result).toMatchObject({ prompts: 2, skipped: 1, skippedByReason: { too_long: 1 } });
    const rows = await promptsOf(project.id);
    expect(rows.filter((r) => r.text !== LONG).map((r) => [r.completions, r.error])).toEqual([[2, null], [2, null]]);
    const long = rows.find((r) => r.text === LONG)!;
    expect(long.completions).toBe(0);
    expect(long.error).toMatch(/^prompt of \d+ tokens \+ max_new_tokens 8 do not fit the model's context of 256$/);
    // Running it again neither fails nor retries the prompt: nothing is left to do.
    const again = await generate(project.id);
    expect(again).toMatchObject({ status: "succeeded", progressTotal: 0, result: { prompts: 0, skipped: 0 } });
  });

  it("show the skipped prompts and their reasons to staff, and retry them when an admin asks", async () => {
    const project = await projectWith([{ text: LONG }, { text: "Hi" }]);
    await generate(project.id);
    const skipped = await call(listSkipped, "GET", `/api/projects/${project.id}/generate/skipped`, project.id);
    expect(skipped.status).toBe(200);
    expect(skipped.body).toMatchObject({ total: 1, prompts: [{ text: LONG, generationError: expect.stringMatching(/do not fit the model's context of 256$/) }] });
    const listed = await call(listPrompts, "GET", `/api/projects/${project.id}/prompts`, project.id);
    const byText = new Map((listed.body.prompts as { text: string; generationError: string | null }[]).map((p) => [p.text, p.generationError]));
    expect(byText.get(LONG)).toMatch(/do not fit the model's context/);
    expect(byText.get("Hi")).toBeNull();
    // Retrying clears the mark; the prompt is tried again (and, still too long, marked again).
    expect((await call(retrySkipped, "DELETE", `/api/projects/${project.id}/generate/skipped`, project.id)).body).toEqual({ cleared: 1 });
    expect((await call(listSkipped, "GET", `/api/projects/${project.id}/generate/skipped`, project.id)).body.total).toBe(0);
    const retried = await generate(project.id);
    expect(retried).toMatchObject({ status: "succeeded", progressTotal: 1, result: { prompts: 0, skipped: 1 } });
    session.user = { ...session.user!, role: "annotator" };
    expect((await call(listSkipped, "GET", `/api/projects/${project.id}/generate/skipped`, project.id)).status).toBe(403);
    session.user = { ...session.user, role: "researcher" };
    expect((await call(retrySkipped, "DELETE", `/api/projects/${project.id}/generate/skipped`, project.id)).status).toBe(403);
    session.user = { ...session.user, role: "admin" };
  });

  it("are announced at import: prompts too long for the model are listed by line, those that bring their completions are not", async () => {
    if (!session.user) await asAdmin();
    const project = await projectWith([]);
    const content = [{ prompt: "What is 1 + 1?" }, { prompt: LONG }, { prompt: `${LONG}!`, completions: ["a", "b"] }].map((r) => JSON.stringify(r)).join("\n");
    const res = await call(importRoute, "POST", `/api/projects/${project.id}/prompts`, project.id, { format: "jsonl", content });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ added: 3, duplicates: [], tooLong: { lines: [2], context: 256, maxNewTokens: 8 } });
    const fine = await call(importRoute, "POST", `/api/projects/${project.id}/prompts`, project.id, { format: "text", content: "Name a colour." });
    expect(fine.body).toEqual({ added: 1, duplicates: [], tooLong: null });
  });

  it("skip a prompt whose messages the chat template refuses, with the template's reason", async () => {
    const strict = path.join(tiny.modelsRoot(), "strict-template");
    fs.cpSync(tiny.modelDir(), strict, { recursive: true });
    const configFile = path.join(strict, "tokenizer_config.json");
    const config = JSON.parse(fs.readFileSync(configFile, "utf8"));
    config.chat_template = `{% if messages[0]['role'] == 'system' %}{{ raise_exception('System role not supported') }}{% endif %}${config.chat_template}`;
    fs.writeFileSync(configFile, JSON.stringify(config));
    const project = await projectWith([{ messages: [{ role: "system", content: "Be brief." }, { role: "user", content: "Hi" }] }, { text: "Hello?" }], { modelId: strict });
    const done = await generate(project.id);
    expect(done).toMatchObject({ status: "succeeded", result: { prompts: 1, skipped: 1, skippedByReason: { bad_prompt: 1 } } });
    const [bad] = (await promptsOf(project.id)).filter((r) => r.error !== null);
    expect(bad.error).toMatch(/^the chat template or tokenizer refused this prompt: .*System role not supported/);
  });

  it("fail as a whole, marking no prompt, when max_new_tokens exceeds the model's context", async () => {
    const project = await projectWith([{ text: "What is 1 + 1?" }, { text: "Name a colour." }], { presets: greedy(1000) });
    const done = await generate(project.id);
    expect(done.status).toBe("failed");
    expect(done.error).toBe("max_new_tokens must be ≤ 256 (the model's context), got 1000");
    expect((await promptsOf(project.id)).map((r) => r.error)).toEqual([null, null]);
  });

  it("fail as a whole when the settings need a KV cache over the budget for any prompt, and skip a prompt whose length takes it over", async () => {
    process.env.KV_CACHE_BUDGET_MB = "1";
    resetEnvCache();
    // Tiny model: 2 layers × 16 KV floats × K and V × 4 bytes = 256 bytes per slot and position; 16 beams use 32 slots.
    const beams = (max: number) => [{ name: "beam16", config: { temperature: 0, num_beams: 16, max_new_tokens: max } }];
    const hopeless = await projectWith([{ text: "Hi" }], { presets: beams(200) });
    const failed = await generate(hopeless.id);
    expect(failed.status).toBe("failed");
    expect(failed.error).toMatch(/^these decoding settings need a KV cache of 1\.6 MB \(32 slots × 201 positions × 2 layers × 16 floats × K and V × 4 bytes\) even for a one-token prompt, over the budget of 1\.0 MB/);
    // 1 MiB holds 128 positions of 32 slots: with 100 new tokens, a prompt of more than 28 tokens does not fit.
    const mixed = await projectWith([{ text: "Hi" }, { text: LONG.slice(0, 120) }], { presets: beams(100) });
    const done = await generate(mixed.id);
    expect(done).toMatchObject({ status: "succeeded", result: { skipped: 1, skippedByReason: { too_long: 1 } } });
    expect((await promptsOf(mixed.id)).find((r) => r.error)?.error).toMatch(/need a KV cache of .* over the budget of 1\.0 MB \(KV_CACHE_BUDGET_MB\)$/);
  });

  it("skip a prompt after the worker died on it twice, and retry one it died on once", async () => {
    const project = await projectWith([{ text: "First?" }, { text: "Second?" }, { text: "Third?" }]);
    const { db, t } = getDb();
    const idOf = new Map((await db.select().from(t.prompts)).filter((p) => p.projectId === project.id).map((p) => [p.text, p.id]));
    const ids = ["First?", "Second?", "Third?"].map((text) => idOf.get(text)!);
    const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 3 });
    // A worker claims the job, records that it is generating the first prompt (which already killed one worker), and dies.
    await claimNextJob({ owner: "dead", leaseMs: 1, kinds: [generateJob] });
    await heartbeatJob({ id: job.id, owner: "dead", leaseMs: 1, checkpoint: { current: ids[0], crashes: { [ids[0]]: 1, [ids[1]]: 1 }, skipped: {} } });
    await new Promise((r) => setTimeout(r, 20));
    const done = await runJobToEnd(job.id);
    expect(done).toMatchObject({ status: "succeeded", attempts: 2, result: { prompts: 2, skipped: 1, skippedByReason: { worker_stopped: 1 } } });
    const rows = new Map((await promptsOf(project.id)).map((r) => [r.text, r]));
    expect(["First?", "Second?", "Third?"].map((text) => rows.get(text)!.completions)).toEqual([0, 2, 2]);
    expect(rows.get("First?")!.error).toBe("the worker stopped 2 times while generating this prompt (out of memory, or a crash in the engine)");
  });

  it("try skipped prompts again when the marks are cleared or the project's settings change", async () => {
    const project = await projectWith([{ text: LONG }, { text: "Hi" }]);
    await generate(project.id);
    const stored = (await getProjectById({ id: project.id }))!;
    const key = generationSettingsKey(stored);
    expect((await listSkippedPrompts({ projectId: project.id, settingsKey: key, limit: 10 })).total).toBe(1);
    expect(await countPromptsWithoutCompletions({ projectId: project.id, settingsKey: key })).toBe(0);
    // Another model or other presets: the old mark no longer applies.
    const otherKey = generationSettingsKey({ ...stored, decodingPresets: greedy(4) });
    expect(otherKey).not.toBe(key);
    expect(await countPromptsWithoutCompletions({ projectId: project.id, settingsKey: otherKey })).toBe(1);
    expect((await listSkippedPrompts({ projectId: project.id, settingsKey: otherKey, limit: 10 })).total).toBe(0);
    expect(await clearSkippedPrompts({ projectId: project.id })).toBe(1);
    expect(await countPromptsWithoutCompletions({ projectId: project.id, settingsKey: key })).toBe(1);
  });
});
