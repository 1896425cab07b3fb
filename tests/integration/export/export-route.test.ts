import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { SessionUser } from "@/lib/auth/session";
import { listAudit } from "@/db/queries/audit";
import { setupTestDatabase, testDialect } from "../../support/test-db";
import { seedPreferenceProject } from "../../support/preference-seed";

// The route runs for real; only "who is signed in" is decided by the test.
const session = vi.hoisted(() => ({ user: null as SessionUser | null }));
vi.mock("@/lib/auth/session", () => ({ getSessionUser: async () => session.user }));

const { GET: exportRoute } = await import("@/app/api/projects/[id]/export/route");
const { GET: cardRoute } = await import("@/app/api/projects/[id]/export/card/route");

let cleanup: () => Promise<void>;
let seeded: Awaited<ReturnType<typeof seedPreferenceProject>>;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  seeded = await seedPreferenceProject({
    name: "Export test",
    annotators: 2,
    prompts: [
      { text: "Capital of France?", completions: [{ text: "Paris" }, { text: "Lyon" }, { text: "Rome" }], ranks: [[1, 2, 3], [1, 3, 2]] },
      { text: "2+2?", completions: [{ text: "4" }, { text: "5" }], ranks: [[2, 1], null], flags: [{ 0: ["unsure"] }] },
      { text: "Unranked", completions: [{ text: "a" }, { text: "b" }], ranks: [] },
    ],
  });
  session.user = { id: seeded.users[0].id, email: "r@test.local", name: "R", role: "researcher", sessionId: "s" };
});
afterAll(async () => cleanup());

async function download(query: string, route = exportRoute, id = seeded.project.id) {
  const res = await route(new Request(`http://test/api/projects/${id}/export?${query}`), { params: Promise.resolve({ id }) });
  return { res, text: await res.text() };
}

describe(`export download on ${testDialect}`, () => {
  it("streams TRL lines for every annotator's strict pairs, with a file name", async () => {
    const { res, text } = await download("format=trl-standard");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/x-ndjson; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="export-test-trl-standard.jsonl"');
    const lines = text.trim().split("\n").map((l) => JSON.parse(l)).sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    expect(lines).toEqual([
      { prompt: "2+2?", chosen: "5", rejected: "4" },
      { prompt: "Capital of France?", chosen: "Lyon", rejected: "Rome" },
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Lyon" },
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Lyon" },
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Rome" },
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Rome" },
      { prompt: "Capital of France?", chosen: "Rome", rejected: "Lyon" },
    ]);
  });

  it("still takes the older ids trl and raw in URLs, naming the file by the format's id", async () => {
    const old = await download("format=trl&pseudonymise=false");
    expect(old.res.headers.get("content-disposition")).toBe('attachment; filename="export-test-trl-standard.jsonl"');
    expect(old.text).toBe((await download("format=trl-standard&pseudonymise=false")).text);
    const raw = await download("format=raw&split=test&testFraction=1");
    expect(raw.res.headers.get("content-disposition")).toBe('attachment; filename="export-test-raw-rankings-test.jsonl"');
    expect(raw.text).toBe((await download("format=raw-rankings&split=test&testFraction=1")).text);
  });

  it("majority mode drops the split pair and excludeFlagged drops the flagged ranking", async () => {
    const { text } = await download("format=trl&mode=majority&excludeFlagged=true");
    expect(text.trim().split("\n").map((l) => JSON.parse(l)).sort((a, b) => a.rejected.localeCompare(b.rejected))).toEqual([
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Lyon" },
      { prompt: "Capital of France?", chosen: "Paris", rejected: "Rome" },
    ]);
  });

  it("pseudonymises annotators in raw rankings by default and keeps ids when asked", async () => {
    const pseudo = (await download("format=raw")).text.trim().split("\n").map((l) => JSON.parse(l));
    expect(pseudo).toHaveLength(3);
    expect(pseudo.every((r) => /^annotator-[0-9a-f]{16}$/.test(r.annotatorId))).toBe(true);
    expect(pseudo.find((r) => r.prompt[0].content === "2+2?").flags).toEqual(["unsure"]);
    const real = (await download("format=raw&pseudonymise=false")).text.trim().split("\n").map((l) => JSON.parse(l));
    expect(new Set(real.map((r) => r.annotatorId))).toEqual(new Set(seeded.users.map((u) => u.id)));
  });

  it("never puts a prompt in both splits", async () => {
    const ids = async (split: string) => new Set((await download(`format=raw&split=${split}&testFraction=0.5&seed=7`)).text.trim().split("\n").filter(Boolean).map((l) => JSON.parse(l).promptId));
    const train = await ids("train");
    const test = await ids("test");
    expect(train.size + test.size).toBe(2);
    for (const id of train) expect(test.has(id)).toBe(false);
  });

  it("writes an empty valid file when no pair survives the filters", async () => {
    const { res, text } = await download("format=trl&minAgreement=1&mode=raw&annotators=nobody");
    expect(res.status).toBe(200);
    expect(text).toBe("");
    const csv = await download("format=csv&annotators=nobody");
    expect(csv.text).toBe("prompt_id,annotator_id,prompt,chosen_id,chosen,rejected_id,rejected,tie,margin,agreement,chosen_context,rejected_context,chosen_source,rejected_source\r\n");
  });

  it("writes Parquet that starts and ends with the magic bytes", async () => {
    const res = await exportRoute(new Request(`http://test/x?format=parquet`), { params: Promise.resolve({ id: seeded.project.id }) });
    expect(res.headers.get("content-type")).toBe("application/vnd.apache.parquet");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="export-test-parquet.parquet"');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect(new TextDecoder().decode(bytes.slice(0, 4))).toBe("PAR1");
    expect(new TextDecoder().decode(bytes.slice(-4))).toBe("PAR1");
  });

  it("answers 400 naming the field for a bad option, and for ties in a pair format", async () => {
    const bad = await download("format=xml");
    expect(bad.res.status).toBe(400);
    expect(JSON.parse(bad.text).error.message).toMatch(/^query\.format/);
    const ties = await download("format=trl&ties=keep&mode=bradley-terry");
    // Lyon and Rome got one vote each way: Bradley–Terry ties them, and TRL cannot hold a tie.
    expect(ties.res.status).toBe(400);
    expect(JSON.parse(ties.text).error.message).toMatch(/^query\.ties/);
  });

  it("returns 403 when an annotator opens an export and 404 for an unknown project", async () => {
    const before = session.user;
    session.user = { ...before!, role: "annotator" };
    expect((await download("format=trl")).res.status).toBe(403);
    session.user = before;
    expect((await download("format=trl", exportRoute, crypto.randomUUID())).res.status).toBe(404);
  });

  it("audits each download and serves a dataset card with the counts", async () => {
    const audits = await listAudit({ limit: 100 });
    expect(audits.some((a) => a.action === "export.download" && a.targetId === seeded.project.id)).toBe(true);
    const { res, text } = await download("format=trl", cardRoute);
    expect(res.status).toBe(200);
    expect(text).toContain("- Rankings: 3");
    expect(text).toContain("- Annotators: 2");
    expect(text).toContain("| train |");
    const parquet = await download("format=parquet", cardRoute);
    expect(parquet.text).toContain('path: "data/train.parquet"');
    expect(parquet.text).toContain("Parquet of pairs");
  });
});
