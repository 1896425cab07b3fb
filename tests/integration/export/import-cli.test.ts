import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "@/cli/commands/export";
import { runImport } from "@/cli/commands/import";
import { getDb } from "@/db/client";
import { createProject } from "@/db/queries/projects";
import { listRankingsForProject } from "@/db/queries/rankings";
import { seedPreferenceProject } from "../../support/preference-seed";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "import-test-"));
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

const emptyProject = (name: string) => createProject({ name, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
const quiet = async <T>(fn: () => Promise<T>) => {
  const log = console.log;
  console.log = () => {};
  try {
    return await fn();
  } finally {
    console.log = log;
  }
};

describe(`studio import / export on ${testDialect}`, () => {
  it("imports gzipped TRL pairs as two-completion rankings and exports the same pairs back", async () => {
    const project = await emptyProject(`trl-${Date.now()}`);
    const lines = [
      { prompt: "Sky colour?", chosen: "Blue", rejected: "Green" },
      { prompt: "Sky colour?", chosen: "Blue", rejected: "Red" },
      { prompt: "2+2?", chosen: "4", rejected: "5" },
    ];
    const file = path.join(dir, "pairs.jsonl.gz");
    fs.writeFileSync(file, gzipSync(lines.map((l) => JSON.stringify(l)).join("\n") + "\n"));
    expect(await quiet(() => runImport(["--project", project.name, "--format", "trl", "--file", file]))).toBe(0);
    expect(await listRankingsForProject({ projectId: project.id })).toHaveLength(3);
    const out = path.join(dir, "back.jsonl");
    expect(await quiet(() => runExport(["--project", project.id, "--format", "trl", "--out", out]))).toBe(0);
    const back = fs.readFileSync(out, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(back.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)))).toEqual([...lines].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))));
  });

  it("stops at a bad line with its number and stores nothing", async () => {
    const project = await emptyProject(`bad-${Date.now()}`);
    const file = path.join(dir, "bad.jsonl");
    fs.writeFileSync(file, `${JSON.stringify({ prompt: "a", chosen: "b", rejected: "c" })}\n\n{"prompt":"x","chosen":"y"}\n`);
    await expect(runImport(["--project", project.name, "--format", "trl", "--file", file])).rejects.toThrow(/^Nothing was imported: line 3: rejected/);
    const { db, t } = getDb();
    const { eq } = await import("drizzle-orm");
    expect(await db.$count(t.prompts, eq(t.prompts.projectId, project.id))).toBe(0);
  });

  it("refuses a file with bad lines naming every bad line, or with --skip-invalid imports the rest and names the skipped ones", async () => {
    const project = await emptyProject(`skip-${Date.now()}`);
    const good = (i: number) => JSON.stringify({ prompt: `q${i}`, chosen: "a", rejected: "b" });
    const file = path.join(dir, "some-bad.jsonl");
    fs.writeFileSync(file, [good(1), "{oops", good(3), '{"prompt":"x"}', '{"prompt":"y"}', good(6)].join("\n"));
    const err = await runImport(["--project", project.id, "--file", file, "--format", "trl-standard"]).catch((e: Error) => e);
    expect((err as Error).message).toMatch(/^Nothing was imported: line 2: invalid JSON[^\n]*\nline 4: chosen: [^\n]*\nline 5: chosen: [^\n]*\n3 bad lines in all: 2, 4–5\n/);
    expect(await listRankingsForProject({ projectId: project.id })).toHaveLength(0);
    const logs: string[] = [];
    const log = console.log;
    console.log = (m: string) => void logs.push(m);
    try {
      expect(await runImport(["--project", project.id, "--file", file, "--skip-invalid"])).toBe(0);
    } finally {
      console.log = log;
    }
    expect(logs.join("\n")).toMatch(/Imported 3 record\(s\) \(trl-standard\).*skipped 3 bad line\(s\): 2, 4–5/);
    expect(await listRankingsForProject({ projectId: project.id })).toHaveLength(3);
  });

  it("restores raw rankings (texts, ranks, flags, annotators) into another project", async () => {
    const source = await seedPreferenceProject({
      annotators: 2,
      prompts: [{ text: "Best fruit?", completions: [{ text: "apple" }, { text: "pear" }, { text: "plum" }], ranks: [[1, 2, 2], [3, 1, 2]], flags: [{ 2: ["off_topic"] }] }],
    });
    const raw = path.join(dir, "raw.jsonl");
    expect(await quiet(() => runExport(["--project", source.project.id, "--format", "raw-rankings", "--out", raw]))).toBe(0);
    const target = await emptyProject(`raw-${Date.now()}`);
    expect(await quiet(() => runImport(["--project", target.id, "--format", "raw", "--file", raw]))).toBe(0);
    const restored = await listRankingsForProject({ projectId: target.id });
    expect(restored).toHaveLength(2);
    const { db, t } = getDb();
    const { inArray } = await import("drizzle-orm");
    const texts = new Map((await db.select().from(t.completions).where(inArray(t.completions.promptId, restored.map((r) => r.promptId)))).map((c) => [c.id, c.text]));
    const byText = restored.map((r) => Object.fromEntries(Object.entries(r.ranks).map(([id, rank]) => [texts.get(id), rank]))).sort((a, b) => a.apple! - b.apple!);
    expect(byText).toEqual([{ apple: 1, pear: 2, plum: 2 }, { apple: 3, pear: 1, plum: 2 }]);
    expect(restored.some((r) => Object.values(r.flags).flat().includes("off_topic"))).toBe(true);
    // Pseudonymised annotators become two distinct, disabled users.
    expect(new Set(restored.map((r) => r.userId)).size).toBe(2);
  });
});
