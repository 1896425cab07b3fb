import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createProject } from "@/db/queries/projects";
import { listAudit } from "@/db/queries/audit";
import { createUser } from "@/db/queries/users";
import { DEFAULT_RUBRIC } from "@/lib/ranking/rubric";
import type { SessionUser } from "@/lib/auth/session";
import { setupTestDatabase, testDialect } from "../../support/test-db";

// The route runs for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));
const { PATCH } = await import("@/app/api/projects/[id]/route");
const { POST: create } = await import("@/app/api/projects/route");

let cleanup: () => Promise<void>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  const admin = await createUser({ email: "admin@x.test", name: "Admin", role: "admin", passwordHash: null });
  session.user = { id: admin.id, email: admin.email, name: admin.name, role: "admin", sessionId: "s" };
});
afterAll(() => cleanup());

const json = (method: string, body: unknown) => ({ method, headers: { "content-type": "application/json" }, body: JSON.stringify(body) });

async function patch(projectId: string, body: unknown) {
  const res = await PATCH(new Request(`http://test/api/projects/${projectId}`, json("PATCH", body)), { params: Promise.resolve({ id: projectId }) });
  return { status: res.status, body: await res.json() };
}

const newProject = () => createProject({ name: `s-${crypto.randomUUID()}`, completionsPerPrompt: 3, rankingsPerPrompt: 2, modelId: "demo", decodingPresets: [{ name: "greedy", config: { temperature: 0 } }] });

describe(`project settings through PATCH /api/projects/<id> on ${testDialect}`, () => {
  it("gives existing and new projects the default rubric", async () => {
    expect((await newProject()).rubric).toEqual(DEFAULT_RUBRIC);
    const res = await create(new Request("http://test/api/projects", json("POST", { name: "with rubric", completionsPerPrompt: 2, rankingsPerPrompt: 1, decodingPresets: [{ name: "g", config: {} }], rubric: { scale: "best", aspects: [{ id: "honesty", label: "Honesty" }] } })), { params: Promise.resolve({}) });
    const { project } = await res.json();
    expect(project.rubric).toEqual({ ...DEFAULT_RUBRIC, scale: "best", aspects: [{ id: "honesty", label: "Honesty", description: "" }] });
  });

  it("changes K, the model, presets, the completion source and the rubric, and audits what changed", async () => {
    const project = await newProject();
    const rubric = { scale: "best", flags: [{ id: "unsafe", label: "Unsafe", description: "" }], overallRating: false, aspects: [{ id: "honesty", label: "Honesty", description: "No made-up facts" }] };
    const ok = await patch(project.id, { completionsPerPrompt: 2, modelId: "hf:org/model", decodingPresets: [{ name: "hot", config: { temperature: 1.2 } }], completionSource: { type: "builtin" }, rubric });
    expect(ok.status).toBe(200);
    expect(ok.body.project).toMatchObject({ completionsPerPrompt: 2, modelId: "hf:org/model", decodingPresets: [{ name: "hot", config: { temperature: 1.2 } }], completionSource: { type: "builtin" }, rubric });
    const audit = (await listAudit({ limit: 50 })).find((e) => e.action === "project.update" && e.targetId === project.id);
    expect(audit?.details).toMatchObject({ completionsPerPrompt: 2, rubric });
  });

  it("refuses bad settings with the field named and changes nothing", async () => {
    const project = await newProject();
    const cases: [unknown, RegExp][] = [
      [{ decodingPresets: [{ name: "hot", config: { temperature: -1 } }] }, /^body\.decodingPresets\[0\] \("hot"\): /],
      [{ completionsPerPrompt: 12 }, /^body\.completionsPerPrompt: /],
      [{ rubric: { aspects: [{ id: "honesty", label: "Honesty" }, { id: "honesty", label: "Again" }] } }, /^body\.rubric\.aspects\.1\.id: "honesty" is used twice$/],
      [{ rubric: { flags: [{ id: "Not OK", label: "x" }] } }, /^body\.rubric\.flags\.0\.id: must start with a-z/],
      [{ rubric: { scale: "pairwise" } }, /^body\.rubric\.scale: /],
      [{ completionSource: { type: "openai", baseUrl: "not a url", model: "m" } }, /^body\.completionSource\.baseUrl: /],
    ];
    for (const [body, message] of cases) {
      const res = await patch(project.id, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.message).toMatch(message);
    }
    const unchanged = await patch(project.id, {});
    expect(unchanged.body.project).toMatchObject({ completionsPerPrompt: 3, decodingPresets: project.decodingPresets, rubric: DEFAULT_RUBRIC });
  });
});
