import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiClientAs, demoLogin, signInWithForm } from "./support/auth";
import { addMember } from "./support/members";

const PROMPTS = Array.from({ length: 16 }, (_, i) => `Research e2e prompt ${i}: what is ${i} + ${i}?`);

/** A fresh project (so other specs' rankings do not matter) with completions from the server's tiny model. */
async function projectWithCompletions(admin: APIRequestContext, name: string): Promise<string> {
  const created = await admin.post("/api/projects", {
    data: {
      name, completionsPerPrompt: 3, rankingsPerPrompt: 2, modelId: "demo",
      decodingPresets: [
        { name: "greedy", config: { temperature: 0, max_new_tokens: 12 } },
        { name: "t1.0", config: { temperature: 1.0, max_new_tokens: 12 } },
        { name: "t1.5-k20", config: { temperature: 1.5, top_k: 20, max_new_tokens: 12 } },
      ],
    },
  });
  expect(created.status()).toBe(200);
  const { project } = await created.json();
  expect((await admin.post(`/api/projects/${project.id}/prompts`, { data: { format: "text", content: PROMPTS.join("\n") } })).status()).toBe(200);
  expect((await admin.post(`/api/projects/${project.id}/generate`)).status()).toBe(200);
  await expect.poll(async () => (await (await admin.get(`/api/projects/${project.id}/stats`)).json()).stats.prompts.withCompletions, { timeout: 90_000 }).toBe(PROMPTS.length);
  return project.id;
}

/** Ranks every prompt the queue hands out by a fixed rule (longer completion first). */
async function rankAll(api: APIRequestContext, projectId: string): Promise<number> {
  let n = 0;
  for (;;) {
    const { task } = await (await api.post(`/api/projects/${projectId}/tasks/next`)).json();
    if (!task) return n;
    const order = [...task.completions].sort((a: { id: string; text: string }, b: { id: string; text: string }) => b.text.length - a.text.length || a.id.localeCompare(b.id));
    // Identical texts (after trimming) must share a rank: the server refuses a ranking that splits them.
    const tiers = [...new Set(order.map((c: { text: string }) => c.text.trim()))];
    const ranks = Object.fromEntries(order.map((c: { id: string; text: string }) => [c.id, tiers.indexOf(c.text.trim()) + 1]));
    const res = await api.post(`/api/assignments/${task.assignmentId}/ranking`, { data: { ranks, timeSpentMs: 5000, submissionKey: crypto.randomUUID() } });
    expect(res.status(), await res.text()).toBe(200);
    n++;
  }
}

test("a researcher trains a reward model, watches it train and sees scores and the preset leaderboard", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const admin = await apiClientAs(baseURL!, "admin");
  const name = `Research e2e ${Date.now()}`;
  const projectId = await projectWithCompletions(admin, name);
  await addMember(admin, projectId, demoLogin("annotator").email);
  expect(await rankAll(await apiClientAs(baseURL!, "annotator"), projectId)).toBe(PROMPTS.length);
  expect(await rankAll(await apiClientAs(baseURL!, "researcher"), projectId)).toBe(PROMPTS.length);

  const { email, password } = demoLogin("researcher");
  await signInWithForm(page, email, password);
  await expect(page).toHaveURL(/\/research$/);
  await page.getByRole("link", { name }).click();
  await expect(page).toHaveURL(new RegExp(`/research/projects/${projectId}$`));
  // Before training: the leaderboard from human rankings is there already.
  await expect(page.getByTestId("leaderboard-row")).toHaveCount(3);
  await expect(page.getByTestId("interval").first()).toHaveText(/^\d+ – \d+$/);

  await page.getByLabel("Epochs").fill("15");
  await page.getByRole("button", { name: "Train reward model" }).click();
  const job = page.getByTestId("train-job");
  await expect(job).toBeVisible();
  await expect(page.getByRole("progressbar", { name: "Training progress" })).toBeVisible();
  await expect(job.getByText("succeeded")).toBeVisible({ timeout: 180_000 });

  await expect(page.getByTestId("test-accuracy")).toContainText("held-out accuracy");
  await expect(page.getByTestId("training-charts")).toBeVisible();
  await expect(page.getByTestId("reward-models")).toContainText("v1");
  const rewards = page.getByTestId("reward");
  await expect(rewards.first()).toHaveText(/^-?\d+\.\d\d$/);
  expect(await rewards.count()).toBe(PROMPTS.length * 3);
  await expect(page.getByTestId("reward-distribution")).toBeVisible();

  // The weights download is a safetensors file.
  const researcher = await apiClientAs(baseURL!, "researcher");
  const { rewardModels } = await (await researcher.get(`/api/projects/${projectId}/reward-models`)).json();
  const weights = await researcher.get(`/api/reward-models/${rewardModels[0].id}/weights`);
  expect(weights.status()).toBe(200);
  expect((await weights.body()).byteLength).toBeGreaterThan(8);
  // Annotators never see reward scores.
  const annotator = await apiClientAs(baseURL!, "annotator");
  expect((await annotator.get(`/api/projects/${projectId}/research`)).status()).toBe(403);
  expect((await annotator.get(`/api/projects/${projectId}/reward-models`)).status()).toBe(403);
});
