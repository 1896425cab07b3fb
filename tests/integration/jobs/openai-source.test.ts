import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/db/client";
import { enqueueJob, getJob } from "@/db/queries/jobs";
import { createProject } from "@/db/queries/projects";
import { importPrompts } from "@/db/queries/prompts";
import { resetEnvCache } from "@/lib/env";
import { generateJob } from "@/lib/jobs/kinds/generate";
import { jobRegistry } from "@/lib/jobs/registry";
import { startJobRunner } from "@/lib/jobs/runner";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// A stand-in OpenAI-compatible server on loopback that echoes what it was asked.
let server: http.Server;
let baseUrl = "";
const requests: Record<string, unknown>[] = [];
let cleanup: () => Promise<void>;

beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  // The stand-in server is on loopback, which completion sources may reach only with this setting.
  process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "true";
  resetEnvCache();
  server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const parsed = JSON.parse(body);
      requests.push(parsed);
      if (parsed.model === "broken") {
        res.writeHead(502).end("upstream crashed: SECRET-INTERNAL-DETAIL at /srv/models/weights");
        return;
      }
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ choices: [{ message: { content: `t=${parsed.temperature}\u0000 seed=${parsed.seed}` }, finish_reason: "stop" }], usage: { completion_tokens: 3 } }));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  vi.restoreAllMocks();
  delete process.env.STUDIO_ALLOW_PRIVATE_SOURCES;
  resetEnvCache();
  server.close();
  await cleanup();
});

/** Queues a generation job for a new one-prompt project with `completionSource` and runs it to the end. */
async function generateWith(name: string, completionSource: Record<string, unknown>) {
  const project = await createProject({
    name,
    completionsPerPrompt: 2,
    rankingsPerPrompt: 1,
    modelId: "remote",
    decodingPresets: [{ name: "cold", config: { temperature: 0, max_new_tokens: 16 } }, { name: "hot", config: { temperature: 1.2, top_p: 0.9, max_new_tokens: 16 } }],
    completionSource,
  });
  await importPrompts({ projectId: project.id, source: "test", prompts: [{ messages: [{ role: "user", content: "Hi" }] }] });
  const job = await enqueueJob({ job: generateJob, payload: { projectId: project.id }, projectId: project.id, progressTotal: 1 });
  const runner = startJobRunner({ jobs: jobRegistry, pollMs: 50, log: () => {} });
  for (let i = 0; i < 200 && !["succeeded", "failed"].includes((await getJob({ id: job.id }))!.status); i++) await new Promise((r) => setTimeout(r, 50));
  await runner.stop();
  return (await getJob({ id: job.id }))!;
}

describe(`OpenAI-compatible completion source on ${testDialect}`, () => {
  it("sends each preset's sampling settings and stores the answers with the endpoint's model id", async () => {
    expect((await generateWith("remote", { type: "openai", baseUrl, model: "llama-test" })).status).toBe("succeeded");
    const { db, t } = getDb();
    const rows = (await db.select().from(t.completions)).filter((c) => c.modelId === "openai:llama-test");
    expect(rows.map((r) => r.presetName).sort()).toEqual(["cold", "hot"]);
    expect(rows.find((r) => r.presetName === "hot")?.text).toContain("t=1.2");
    // PostgreSQL cannot store U+0000; it is dropped on both databases.
    expect(rows.every((r) => !r.text.includes("\u0000"))).toBe(true);
    expect(requests.every((r) => r.model === "llama-test" && Array.isArray(r.messages))).toBe(true);
    expect(requests.find((r) => r.temperature === 1.2)).toMatchObject({ top_p: 0.9, max_tokens: 16 });
  });

  it("stores the endpoint's status but not its error text on the failed job", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const job = await generateWith("remote broken", { type: "openai", baseUrl, model: "broken" });
    expect(job.status).toBe("failed");
    expect(job.error).toMatch(/answered HTTP 502/);
    expect(job.error).not.toContain("SECRET");
    expect(String(warn.mock.calls[0]?.[0])).toContain("SECRET-INTERNAL-DETAIL");
  });

  it("refuses a stored loopback source once private sources are no longer allowed, sending nothing", async () => {
    process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "false";
    resetEnvCache();
    const before = requests.length;
    try {
      const job = await generateWith("remote private", { type: "openai", baseUrl, model: "llama-test" });
      expect(job.status).toBe("failed");
      expect(job.error).toMatch(/STUDIO_ALLOW_PRIVATE_SOURCES/);
      expect(requests.length).toBe(before);
    } finally {
      process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "true";
      resetEnvCache();
    }
  });
});
