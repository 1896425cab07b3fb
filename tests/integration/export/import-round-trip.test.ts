/**
 * The promise of issue 16: a real preference file, imported and exported again
 * in its own format, gives back the same records in the same order with the
 * same strings. The samples in tests/fixtures/preference are written as users'
 * files are: multi-turn HH with empty replies, trailing spaces, "\n\nHuman:"
 * inside text, CJK, emoji, RTL and combining marks, and pairs whose chosen
 * and rejected conversations differ before the last reply.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "@/cli/commands/export";
import { runImport } from "@/cli/commands/import";
import { createProject } from "@/db/queries/projects";
import { IMPORT_FORMATS } from "@/lib/datasets/registry";
import { setupTestDatabase, testDialect } from "../../support/test-db";

const SAMPLES = path.resolve("tests/fixtures/preference");
const sample = (format: string) => path.join(SAMPLES, `${format}-sample.jsonl`);
const records = (file: string) => fs.readFileSync(file, "utf8").split("\n").filter((l) => l !== "").map((l) => JSON.parse(l) as Record<string, unknown>);

let cleanup: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "round-trip-"));
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

async function quiet<T>(fn: () => Promise<T>): Promise<T> {
  const [log, error] = [console.log, console.error];
  console.log = console.error = () => {};
  try {
    return await fn();
  } finally {
    [console.log, console.error] = [log, error];
  }
}

/** Imports `file` into a fresh project and exports it again in `format`; returns the exported records. */
async function roundTrip(format: string, file: string): Promise<Record<string, unknown>[]> {
  const project = await createProject({ name: `rt-${format}-${Date.now()}`, completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
  expect(await quiet(() => runImport(["--project", project.id, "--format", format, "--file", file]))).toBe(0);
  const out = path.join(dir, `${format}-back.jsonl`);
  expect(await quiet(() => runExport(["--project", project.id, "--format", format, "--out", out]))).toBe(0);
  return records(out);
}

/**
 * Raw rankings carry the app's identifiers: prompt and completion ids are the
 * stored rows' and annotators are pseudonymised, consistently. The same
 * record is the same texts, ranks, ties, ratings, flags and dates under those
 * names: ids are replaced by the texts they stand for, annotators by their
 * order of first appearance.
 */
function canonicalRaw(rows: Record<string, unknown>[]): unknown[] {
  const annotators = new Map<unknown, number>();
  return rows.map((row) => {
    const texts = row.completions as Record<string, string>;
    const name = (id: string) => `${texts[id]}#${Object.keys(texts).filter((k) => texts[k] === texts[id]).indexOf(id)}`;
    const byName = <V>(rec: unknown) => Object.fromEntries(Object.entries((rec ?? {}) as Record<string, V>).map(([id, v]) => [name(id), v]));
    if (!annotators.has(row.annotatorId)) annotators.set(row.annotatorId, annotators.size);
    const { promptId: _p, annotatorId, ...rest } = row;
    return {
      ...rest,
      annotator: annotators.get(annotatorId),
      shownOrder: (row.shownOrder as string[]).map(name),
      ranks: byName(row.ranks),
      ties: (row.ties as string[][]).map((g) => g.map(name).sort()),
      ratings: byName(row.ratings),
      completions: byName(row.completions),
      ...(row.contexts ? { contexts: byName(row.contexts) } : {}),
    };
  });
}

describe(`import → export in the file's own format on ${testDialect}`, () => {
  it.each(IMPORT_FORMATS.filter((f) => f.rows === "pairs").map((f) => f.id))("gives back every %s record, in order, with the same strings", async (format) => {
    const want = records(sample(format));
    const got = await roundTrip(format, sample(format));
    expect(got).toHaveLength(want.length);
    // Record by record, so a failure names the record that changed.
    want.forEach((record, i) => expect(got[i], `record ${i + 1}`).toEqual(record));
  });

  it("gives back every raw ranking, in order, with the same texts, ranks, ratings, flags and dates", async () => {
    const want = records(sample("raw-rankings"));
    const got = await roundTrip("raw-rankings", sample("raw-rankings"));
    expect(canonicalRaw(got)).toEqual(canonicalRaw(want));
  });

  it("keeps the HH sample's empty replies as the marker and its space", async () => {
    const got = await roundTrip("hh", sample("hh"));
    const endings = got.flatMap((r) => [r.chosen, r.rejected]).filter((t) => (t as string).endsWith("\n\nAssistant: "));
    expect(endings).toHaveLength(2);
  });
});
