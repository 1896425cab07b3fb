/**
 * `studio backup --out FILE` and `studio restore --from FILE`.
 *
 * SQLite: the backup uses SQLite's online backup API on the live database, so
 * it is a consistent snapshot even while the server writes (a write from
 * another process restarts the copy; it never mixes two states). The restore
 * checks the file is a healthy SQLite database with our tables, refuses while
 * any process has the target open, keeps the old file aside and swaps the new
 * one in with a rename, so the target is never half-written.
 *
 * PostgreSQL: pg_dump/pg_restore do this job better than we could; the backup
 * runs pg_dump when it is installed, and both print the exact commands.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import Database from "better-sqlite3";
import { getDb } from "@/db/client";
import { env } from "@/lib/env";

/** Tables a restored file must have; a random SQLite file is not one of our databases. */
const REQUIRED_TABLES = ["users", "sessions", "projects", "prompts", "completions", "assignments", "rankings", "jobs", "__drizzle_migrations"];

const commandOnPath = (cmd: string) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;

export async function runBackup(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { out: { type: "string" } } });
  if (!values.out) throw new Error("backup: give --out FILE");
  const out = path.resolve(values.out);
  const { DATABASE_URL } = env();
  if (DATABASE_URL) return backupPostgres(DATABASE_URL, out);
  const conn = getDb();
  if (!conn.sqlite) throw new Error("backup: no SQLite handle");
  // Written beside the target, then renamed: a crash mid-backup never leaves a truncated FILE.
  const partial = `${out}.partial`;
  fs.rmSync(partial, { force: true });
  const started = Date.now();
  await conn.sqlite.backup(partial);
  toSingleFile(partial);
  const problem = checkStudioDatabase(partial);
  if (problem) {
    fs.rmSync(partial, { force: true });
    throw new Error(`backup: the copy failed its check (${problem}); nothing written`);
  }
  fsyncFile(partial);
  fs.renameSync(partial, out);
  fsyncFile(path.dirname(out));
  const rankings = countRows(out, "rankings");
  console.log(`Backed up ${env().SQLITE_PATH} to ${out} (${fs.statSync(out).size} bytes, ${rankings} rankings) in ${Date.now() - started} ms.`);
  return 0;
}

export async function runRestore(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { from: { type: "string" } } });
  if (!values.from) throw new Error("restore: give --from FILE");
  const from = path.resolve(values.from);
  const { DATABASE_URL, SQLITE_PATH } = env();
  if (DATABASE_URL) return restorePostgresGuidance(DATABASE_URL, from);
  if (!fs.existsSync(from)) throw new Error(`restore: ${from} does not exist`);
  const problem = checkStudioDatabase(from);
  if (problem) throw new Error(`restore: refusing ${from}: ${problem}`);
  const target = path.resolve(SQLITE_PATH);
  if (path.resolve(from) === target) throw new Error("restore: --from is the live database itself");
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (fs.existsSync(target) && targetInUse(target)) {
    throw new Error(`restore: ${target} is open in another process (the server or a worker); stop it first`);
  }
  const incoming = `${target}.restore-tmp`;
  fs.copyFileSync(from, incoming);
  fsyncFile(incoming);
  // The old database stays beside the new one until someone deletes it on purpose.
  let keptAside: string | undefined;
  if (fs.existsSync(target)) {
    keptAside = `${target}.before-restore-${new Date().toISOString().replace(/[:.]/g, "-")}`;
    fs.linkSync(target, keptAside);
  }
  // A stale WAL beside the target belongs to the old file; SQLite would replay it onto the new one.
  for (const suffix of ["-wal", "-shm"]) fs.rmSync(`${target}${suffix}`, { force: true });
  fs.renameSync(incoming, target);
  fsyncFile(path.dirname(target));
  console.log(`Restored ${from} into ${target} (${countRows(target, "rankings")} rankings).${keptAside ? ` The previous database is kept at ${keptAside}.` : ""}`);
  return 0;
}

/** Null when `file` is a healthy SQLite database with our tables, else what is wrong. */
function checkStudioDatabase(file: string): string | null {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma("quick_check", { simple: true });
    if (check !== "ok") return `integrity check says: ${String(check)}`;
    const tables = new Set((db.prepare("select name from sqlite_master where type = 'table'").all() as { name: string }[]).map((r) => r.name));
    const missing = REQUIRED_TABLES.filter((t) => !tables.has(t));
    if (missing.length) return `not an RLHF Studio database (missing tables: ${missing.join(", ")})`;
    return null;
  } catch (err) {
    return `not a readable SQLite database (${err instanceof Error ? err.message : String(err)})`;
  } finally {
    db?.close();
  }
}

/**
 * True when another connection has the database open: in WAL mode an
 * exclusive lock is refused while any other process holds the file.
 */
function targetInUse(file: string): boolean {
  const db = new Database(file, { timeout: 0 });
  try {
    db.pragma("locking_mode = EXCLUSIVE");
    db.exec("BEGIN EXCLUSIVE");
    db.exec("COMMIT");
    return false;
  } catch (err) {
    if ((err as { code?: string }).code?.startsWith("SQLITE_BUSY")) return true;
    throw err;
  } finally {
    db.close();
  }
}

/** The copy inherits WAL mode; switch it to a rollback journal so the backup is one self-contained file. */
function toSingleFile(file: string): void {
  const db = new Database(file);
  try {
    db.pragma("journal_mode = DELETE");
  } finally {
    db.close();
  }
}

function countRows(file: string, table: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

function fsyncFile(p: string): void {
  const fd = fs.openSync(p, "r");
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

function backupPostgres(url: string, out: string): number {
  const cmd = ["pg_dump", "--format=custom", "--no-owner", `--file=${out}`, "\"$DATABASE_URL\""];
  if (!commandOnPath("pg_dump")) {
    console.log(`PostgreSQL backups are taken with pg_dump (not installed here). Run, on a machine with the PostgreSQL client tools:\n\n  ${cmd.join(" ")}\n\nRestore with: studio restore --from ${out} (prints the pg_restore command).`);
    return 0;
  }
  const res = spawnSync("pg_dump", ["--format=custom", "--no-owner", `--file=${out}`, url], { stdio: ["ignore", "inherit", "inherit"] });
  if (res.status !== 0) throw new Error(`backup: pg_dump exited with ${res.status ?? res.signal}`);
  console.log(`Backed up the PostgreSQL database to ${out} (pg_dump custom format, ${fs.statSync(out).size} bytes).`);
  return 0;
}

/** Restoring over a shared PostgreSQL database is a deliberate operator step, so we print it. */
function restorePostgresGuidance(_url: string, from: string): number {
  console.log(
    [
      "PostgreSQL is restored with pg_restore. Stop the web servers and workers, then run:",
      "",
      `  pg_restore --clean --if-exists --no-owner --single-transaction --dbname="$DATABASE_URL" ${from}`,
      "",
      "or restore into a new database and point DATABASE_URL at it:",
      "",
      "  createdb studio_restored",
      `  pg_restore --no-owner --dbname=studio_restored ${from}`,
      "",
      "Then start the servers again; `studio migrate` brings an older dump up to date.",
    ].join("\n"),
  );
  return 0;
}
