/**
 * Import memory and speed on a large generated HH file: peak RSS stays
 * bounded whatever the file's size, because the file is streamed line by
 * line and stored in batches.
 *   npm run bench:import -- [--mb 200] [--gzip]
 * Writes a multi-turn HH file of about --mb MB to a temp folder, then, each in
 * its own process so each peak RSS is its own:
 *   streaming: `studio import`'s two passes (validate, then store into a fresh SQLite database)
 *   peer:      what the import did before (the whole file's records held in an array)
 * and prints MB/s, records/s and peak RSS side by side. Figures only.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { createGzip } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { Readable } from "node:stream";

const { values } = parseArgs({ options: { mb: { type: "string", default: "200" }, gzip: { type: "boolean", default: false }, phase: { type: "string" }, file: { type: "string" }, db: { type: "string" } } });

const turn = (i: number, k: number) => `Turn ${k} of conversation ${i}: ${"please tell me more about rivers, lakes and seas ".repeat(3 + (i % 5))}`;

/** One HH record of a few hundred bytes to a few KB; every 400th one differs before its last reply. */
function record(i: number): string {
  const turns = 1 + (i % 4);
  let prefix = "";
  for (let k = 0; k < turns; k++) prefix += `\n\nHuman: ${turn(i, k)}${k < turns - 1 ? `\n\nAssistant: answer ${k} 日本語 😀` : ""}`;
  const rejectedPrefix = i % 400 === 0 ? prefix.replace("answer 0", "another answer 0") : prefix;
  return JSON.stringify({ chosen: `${prefix}\n\nAssistant: Chosen reply ${i}. `, rejected: `${rejectedPrefix}\n\nAssistant: ${i % 97 === 0 ? "" : `Rejected ${i}`}` });
}

async function writeFile(file: string, bytes: number): Promise<number> {
  let written = 0;
  let i = 0;
  const lines = Readable.from((function* () {
    while (written < bytes) {
      const line = `${record(i++)}\n`;
      written += Buffer.byteLength(line);
      yield line;
    }
  })());
  if (values.gzip) await pipeline(lines, createGzip(), fs.createWriteStream(file));
  else await pipeline(lines, fs.createWriteStream(file));
  return i;
}

/** Runs one phase in a child process and returns what it printed (a JSON line). */
function child(phase: string, file: string, db: string): { seconds: number; records: number; peakMb: number } {
  const tsx = path.resolve("node_modules/tsx/dist/cli.mjs");
  const r = spawnSync(process.execPath, [tsx, "--conditions=react-server", "bench/import.ts", "--phase", phase, "--file", file, "--db", db], { encoding: "utf8", env: { ...process.env, SQLITE_PATH: db, DATABASE_URL: "" }, maxBuffer: 1 << 26 });
  if (r.status !== 0) throw new Error(`${phase} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!);
}

const peakMb = () => Math.round(process.resourceUsage().maxRSS / 1024);

/** The streaming import: validate, then store, as `studio import` does. */
async function streaming(file: string): Promise<void> {
  const { getDb, closeDb } = await import("@/db/client");
  const { migrateDatabase } = await import("@/db/migrate");
  const { createProject } = await import("@/db/queries/projects");
  const { createImportRun } = await import("@/db/queries/import-runs");
  const { scanImportFile } = await import("@/lib/dataset-files/scan");
  const { executeImportRun } = await import("@/lib/dataset-files/import-run");
  const { importFormatSchema } = await import("@/lib/datasets/registry");
  await migrateDatabase(getDb());
  const started = performance.now();
  const scan = await scanImportFile({ file, format: importFormatSchema.parse("hh"), maxBytes: 1e12 });
  const project = await createProject({ name: "bench", completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", decodingPresets: [] });
  const run = await createImportRun({ projectId: project.id, format: "hh", fileName: "bench.jsonl", status: "uploaded", lines: scan.lines, records: scan.records });
  const stored = await executeImportRun({ runId: run.id, file, maxBytes: 1e12, skipInvalid: false });
  if (stored.rankings !== scan.records || scan.invalid !== 0) throw new Error(`stored ${stored.rankings} of ${scan.records} records (${scan.invalid} invalid)`);
  await closeDb();
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, records: stored.rankings, peakMb: peakMb() }));
}

/** The peer: every record parsed and held before anything is stored, as the import did before. */
async function wholeFile(file: string): Promise<void> {
  const { readLines } = await import("@/lib/datasets/read-lines");
  const { readHh } = await import("@/lib/datasets/formats/hh");
  const { openImportSource } = await import("@/lib/dataset-files/source");
  const started = performance.now();
  const items: unknown[] = [];
  for await (const line of readLines((await openImportSource(file, { maxBytes: 1e12 })).chunks, { maxLineBytes: 1 << 26 })) {
    if ("text" in line && line.text !== "") items.push(readHh(JSON.parse(line.text)));
  }
  console.log(JSON.stringify({ seconds: (performance.now() - started) / 1000, records: items.length, peakMb: peakMb() }));
}

async function main(): Promise<void> {
  if (values.phase === "streaming") return streaming(values.file!);
  if (values.phase === "whole-file") return wholeFile(values.file!);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-import-"));
  try {
    const file = path.join(dir, values.gzip ? "hh.jsonl.gz" : "hh.jsonl");
    const records = await writeFile(file, Number(values.mb) * 1e6);
    const size = fs.statSync(file).size / 1e6;
    console.log(`HH file: ${records} records, ${Number(values.mb)} MB of JSON Lines${values.gzip ? `, ${size.toFixed(1)} MB gzipped` : ""}`);
    const rows = [
      ["streaming import (validate + store, SQLite)", child("streaming", file, path.join(dir, "bench.db"))],
      ["peer: whole file held in memory (parse only)", child("whole-file", file, path.join(dir, "unused.db"))],
    ] as const;
    console.log(`${"".padEnd(46)} ${"seconds".padStart(8)} ${"records/s".padStart(10)} ${"MB/s".padStart(7)} ${"peak RSS".padStart(9)}`);
    for (const [name, r] of rows) {
      console.log(`${name.padEnd(46)} ${r.seconds.toFixed(1).padStart(8)} ${Math.round(r.records / r.seconds).toString().padStart(10)} ${(Number(values.mb) / r.seconds).toFixed(1).padStart(7)} ${`${r.peakMb} MB`.padStart(9)}`);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

await main();
