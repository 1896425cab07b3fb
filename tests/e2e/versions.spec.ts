import { spawnSync } from "node:child_process";
import path from "node:path";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { addLabellers } from "./support/projects";
import { apiClientAs, signInAs } from "./support/auth";

const PROMPTS = Array.from({ length: 8 }, (_, i) => `Versions e2e prompt ${i}: name ${i + 2} colours.`);
const VERSION = "sft-e2e";

/** Registers the server's own model folder as a trained version, as `studio versions add` does for a model trained elsewhere. */
function addVersion(projectId: string): void {
  const from = process.env.MODEL_PATH ?? "models/demo";
  const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
  const run = spawnSync(process.execPath, [tsx, "--conditions=react-server", "cli/index.ts", "versions", "add", "--project", projectId, "--name", VERSION, "--from", from, "--parent", "base", "--method", "sft"], { encoding: "utf8" });
  expect(run.status, `${run.stdout}\n${run.stderr}`).toBe(0);
}

async function completionCounts(admin: APIRequestContext, projectId: string): Promise<number[]> {
  const { prompts } = await (await admin.get(`/api/projects/${projectId}/prompts?limit=500`)).json();
  return (prompts as { completionCount: number }[]).map((p) => Number(p.completionCount));
}

/** Ranks every task the queue hands out (longest completion first), checking each task names no model, version or preset. */
async function rankAll(api: APIRequestContext, projectId: string): Promise<number> {
  let n = 0;
  for (;;) {
    const res = await api.post(`/api/projects/${projectId}/tasks/next`);
    const raw = await res.text();
    const { task } = JSON.parse(raw);
    if (!task) return n;
    expect(raw).not.toContain(VERSION);
    for (const c of task.completions) expect(Object.keys(c).sort()).toEqual(["id", "text"]);
    const order = [...task.completions].sort((a: { id: string; text: string }, b: { id: string; text: string }) => b.text.length - a.text.length || a.id.localeCompare(b.id));
    // Identical texts (after trimming) must share a rank: the server refuses a ranking that splits them.
    const tiers = [...new Set(order.map((c: { text: string }) => c.text.trim()))];
    const ranks = Object.fromEntries(order.map((c: { id: string; text: string }) => [c.id, tiers.indexOf(c.text.trim()) + 1]));
    expect((await api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: { ranks, timeSpentMs: 4000, submissionKey: crypto.randomUUID() } })).status()).toBe(200);
    n++;
  }
}

test("an admin gives a new model version slots, annotators rank blind, and researchers see the versions, downloads and leaderboard", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const admin = await apiClientAs(baseURL!, "admin");
  const name = `Versions e2e ${Date.now()}`;
  const created = await admin.post("/api/projects", {
    data: { name, completionsPerPrompt: 2, rankingsPerPrompt: 2, modelId: "demo", decodingPresets: [{ name: "greedy", config: { temperature: 0, max_new_tokens: 10 } }, { name: "warm", config: { temperature: 0.9, max_new_tokens: 10 } }] },
  });
  const { project } = await created.json();
  await addLabellers(admin, project.id);
  expect((await admin.post(`/api/projects/${project.id}/prompts`, { data: { format: "text", content: PROMPTS.join("\n") } })).status()).toBe(200);
  expect((await admin.post(`/api/projects/${project.id}/generate`)).status()).toBe(200);
  await expect.poll(async () => (await completionCounts(admin, project.id)).join(","), { timeout: 90_000 }).toBe(PROMPTS.map(() => 2).join(","));
  addVersion(project.id);

  // The admin gives the new version a third slot on the research page and fills it.
  await signInAs(page, "admin");
  await page.goto(`/research/projects/${project.id}`);
  await expect(page.getByTestId("model-version")).toHaveCount(2);
  await page.getByRole("button", { name: "Add slot" }).click();
  await page.getByLabel("Slot 3 version").selectOption({ label: VERSION });
  await page.getByLabel("Slot 3 preset").selectOption("greedy");
  await page.getByRole("button", { name: "Save slots" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Saved: K = 3." })).toBeVisible();
  await page.getByRole("button", { name: "Generate missing completions" }).click();
  await expect(page.getByRole("status").filter({ hasText: `Generation queued: ${PROMPTS.length} prompt fills.` })).toBeVisible();
  await expect.poll(async () => (await completionCounts(admin, project.id)).join(","), { timeout: 90_000 }).toBe(PROMPTS.map(() => 3).join(","));

  const annotator = await apiClientAs(baseURL!, "annotator");
  expect(await rankAll(annotator, project.id)).toBe(PROMPTS.length);
  expect(await rankAll(await apiClientAs(baseURL!, "researcher"), project.id)).toBe(PROMPTS.length);

  await page.context().clearCookies();
  await signInAs(page, "researcher");
  await page.goto(`/research/projects/${project.id}`);
  const versions = page.getByTestId("model-version");
  await expect(versions).toHaveCount(2);
  await expect(versions.filter({ hasText: VERSION })).toContainText("from base");
  await expect(page.getByRole("button", { name: "Save slots" })).toHaveCount(0);
  const rows = page.getByTestId("model-leaderboard-row");
  await expect(rows).toHaveCount(2);
  await expect(page.getByTestId("model-interval").first()).toHaveText(/^\d+ – \d+$/);

  const researcher = await apiClientAs(baseURL!, "researcher");
  const tarHref = await page.getByRole("link", { name: /^HF folder \(\.tar/ }).getAttribute("href");
  const tar = await researcher.get(tarHref!);
  expect(tar.status()).toBe(200);
  expect(tar.headers()["content-type"]).toBe("application/x-tar");
  expect((await tar.body()).subarray(0, VERSION.length + 1).toString()).toBe(`${VERSION}/`);
  const gguf = await researcher.get((await page.getByRole("link", { name: /^GGUF/ }).getAttribute("href"))!);
  expect((await gguf.body()).subarray(0, 4).toString()).toBe("GGUF");
  expect((await annotator.get(tarHref!)).status()).toBe(403);
  expect((await annotator.get(`/api/projects/${project.id}/versions`)).status()).toBe(403);
});
