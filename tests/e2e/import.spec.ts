import fs from "node:fs";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { apiClientAs, signInAs } from "./support/auth";

// Issue 16: an admin imports a real preference file from the app, sees what
// will be stored and every bad line before anything is written, and gets the
// same records back when exporting in the file's format.

const HH = fs.readFileSync(path.resolve("tests/fixtures/preference/hh-sample.jsonl"), "utf8");

async function newProject(admin: APIRequestContext, name: string): Promise<string> {
  const res = await admin.post("/api/projects", {
    data: { name, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [{ name: "greedy", config: { temperature: 0, max_new_tokens: 8 } }] },
  });
  expect(res.status()).toBe(200);
  return (await res.json()).project.id;
}

test("an admin checks an HH file (preview, bad lines), imports it skipping the bad line, and exports the same records", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await newProject(admin, `Import e2e ${Date.now()}`);
  const good = HH.trimEnd().split("\n");
  // A user's file with one broken line in the middle.
  const file = [...good.slice(0, 5), '{"chosen": "\\n\\nHuman: cut off', ...good.slice(5)].join("\n") + "\n";

  await signInAs(page, "admin");
  await page.goto(`/admin/projects/${projectId}`);
  await page.getByRole("link", { name: "Import preference data" }).click();
  await expect(page).toHaveURL(new RegExp(`/admin/projects/${projectId}/import$`));
  await page.getByLabel("Format").selectOption("auto");
  await page.getByLabel("File").setInputFiles({ name: "hh-sample.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(file) });
  await page.getByRole("button", { name: "Check file" }).click();

  const check = page.getByTestId("import-check");
  await expect(check.getByTestId("import-counts")).toContainText(`${good.length} record(s) in ${good.length + 1} line(s), format hh`);
  await expect(check.getByTestId("import-counts")).toContainText("1 bad line(s)");
  await expect(check.getByTestId("import-errors")).toContainText("line 6: invalid JSON");
  await expect(check.getByTestId("import-preview-record")).toHaveCount(5);
  // Line 3's chosen reply is empty: shown as such, exactly as it will be stored.
  await expect(check.getByTestId("import-preview-record").nth(2)).toContainText("(empty)");

  const importButton = page.getByRole("button", { name: `Import ${good.length} record(s)` });
  await expect(importButton).toBeDisabled();
  await page.getByLabel("Skip the 1 bad line(s) and import the rest").check();
  const axe = await new AxeBuilder({ page }).analyze();
  expect(axe.violations.filter((v) => v.impact === "serious" || v.impact === "critical")).toEqual([]);
  await importButton.click();
  await expect(page.getByTestId("import-result")).toContainText(`${good.length} rankings stored`);
  await expect(page.getByTestId("import-result")).toContainText("1 bad line(s) skipped");
  await expect(page.getByTestId("import-list")).toContainText("done");

  const exported = await admin.get(`/api/projects/${projectId}/export?format=hh`);
  expect(exported.status()).toBe(200);
  const back = (await exported.text()).trimEnd().split("\n").map((l) => JSON.parse(l));
  expect(back).toEqual(good.map((l) => JSON.parse(l)));
});

test("a large file is imported as a job with a progress bar", async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await newProject(admin, `Import job e2e ${Date.now()}`);
  // Over the 2 MiB the server imports in the request: this one goes to the job queue.
  const lines = Array.from({ length: 12_000 }, (_, i) => JSON.stringify({ prompt: `Question ${i}: ${"why ".repeat(40)}`, chosen: `Because ${i}.`, rejected: "No idea." }));

  await signInAs(page, "admin");
  await page.goto(`/admin/projects/${projectId}/import`);
  await page.getByLabel("Format").selectOption("trl-standard");
  await page.getByLabel("File").setInputFiles({ name: "big.jsonl", mimeType: "application/jsonl", buffer: Buffer.from(lines.join("\n")) });
  await page.getByRole("button", { name: "Check file" }).click();
  await expect(page.getByTestId("import-counts")).toContainText("12000 record(s)", { timeout: 120_000 });
  await page.getByRole("button", { name: "Import 12000 record(s)" }).click();
  await expect(page.getByRole("progressbar", { name: "Import progress" })).toBeVisible();
  await expect(page.getByTestId("import-job")).toContainText("succeeded", { timeout: 240_000 });
  await expect(page.getByTestId("import-job")).toContainText("12000 / 12000 lines");

  const stats = await (await admin.get(`/api/projects/${projectId}/stats`)).json();
  expect(stats.stats.prompts.total).toBe(12_000);
});

test("an annotator cannot open the import page or upload", async ({ page, baseURL }) => {
  const admin = await apiClientAs(baseURL!, "admin");
  const projectId = await newProject(admin, `Import guard e2e ${Date.now()}`);
  await signInAs(page, "annotator");
  const res = await page.goto(`/admin/projects/${projectId}/import`);
  expect(res?.status()).toBe(403);
  const annotator = await apiClientAs(baseURL!, "annotator");
  const upload = await annotator.post(`/api/projects/${projectId}/imports`, { data: Buffer.from(HH), headers: { "content-type": "application/octet-stream" } });
  expect(upload.status()).toBe(403);
});
