/**
 * One database handle for the app, the jobs and the CLI. SQLite (a file under
 * ./data) unless DATABASE_URL points at PostgreSQL.
 *
 * The query layer is written once against drizzle's PostgreSQL types; at run
 * time the SQLite handle and tables stand in for them. The two schemas have
 * the same tables and columns (checked by the schema-parity test) and the
 * query builders share their API, so the cast below is sound for the subset
 * db/queries uses: select/insert/update/delete with `returning`, and `sql`.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import fs from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { drizzle as drizzleSqlite } from "drizzle-orm/better-sqlite3";
import { drizzle as drizzlePg, type NodePgDatabase } from "drizzle-orm/node-postgres";
import pg from "pg";
import { env } from "@/lib/env";
import * as pgSchema from "./schema/pg";
import * as sqliteSchema from "./schema/sqlite";

export type Schema = typeof pgSchema;
export type Db = NodePgDatabase<Schema>;
export type Dialect = "sqlite" | "postgres";

export interface Connection {
  db: Db;
  /** The tables of the active dialect, typed as the PostgreSQL ones. */
  t: Schema;
  dialect: Dialect;
  /**
   * Runs `fn` in one transaction; nested calls join the outer one. Use the
   * handle `fn` receives (or getDb().db inside it), not one taken before.
   */
  tx<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  close(): Promise<void>;
  /** The raw better-sqlite3 handle (SQLite only), for backups and pragmas. */
  sqlite?: Database.Database;
  pool?: pg.Pool;
}

const globalKey = Symbol.for("rlhf-studio.db");
type GlobalWithDb = typeof globalThis & { [globalKey]?: Connection };

/** The process-wide connection, opened on first use (kept across dev hot reloads). */
export function getDb(): Connection {
  const g = globalThis as GlobalWithDb;
  if (!g[globalKey]) g[globalKey] = openConnection({ databaseUrl: env().DATABASE_URL, sqlitePath: env().SQLITE_PATH });
  return g[globalKey];
}

/** Closes the process-wide connection (CLI exit, tests). */
export async function closeDb(): Promise<void> {
  const g = globalThis as GlobalWithDb;
  const conn = g[globalKey];
  g[globalKey] = undefined;
  if (conn) await conn.close();
}

export function openConnection(opts: { databaseUrl?: string; sqlitePath: string }): Connection {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl) : openSqlite(opts.sqlitePath);
}

function openPostgres(url: string): Connection {
  const pool = new pg.Pool({ connectionString: url, max: env().DATABASE_POOL_MAX, connectionTimeoutMillis: 5000 });
  // An idle client that loses its server (restart, failover) emits here; without
  // a listener node would crash the process. The pool replaces the client.
  pool.on("error", (err) => console.error("[db] idle PostgreSQL client error:", err.message));
  const root = drizzlePg(pool, { schema: pgSchema });
  // Inside tx(), `db` is the transaction's handle, so every query function
  // called from within a transaction joins it without being handed `tx`.
  const current = new AsyncLocalStorage<Db>();
  return {
    get db() {
      return current.getStore() ?? root;
    },
    t: pgSchema,
    dialect: "postgres",
    pool,
    tx: (fn) => {
      const open = current.getStore();
      if (open) return fn(open);
      return root.transaction((handle) => current.run(handle as unknown as Db, () => fn(handle as unknown as Db)));
    },
    close: () => pool.end(),
  };
}

function openSqlite(file: string): Connection {
  const resolved = path.resolve(file);
  fs.mkdirSync(path.dirname(resolved), { recursive: true });
  const sqlite = new Database(resolved);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  sqlite.pragma("busy_timeout = 5000");
  sqlite.pragma("synchronous = NORMAL");
  const db = drizzleSqlite(sqlite, { schema: sqliteSchema }) as unknown as Db;
  return {
    db,
    t: sqliteSchema as unknown as Schema,
    dialect: "sqlite",
    sqlite,
    tx: (fn) => sqliteTransaction(sqlite, db, fn),
    close: async () => {
      sqlite.close();
    },
  };
}

// better-sqlite3 is synchronous and drizzle's SQLite transactions may not await.
// Our query layer is async, so transactions are serialised by an in-process
// queue and opened with BEGIN IMMEDIATE (take the write lock up front, so two
// processes never deadlock upgrading a read lock).
const inTransaction = new AsyncLocalStorage<boolean>();
let queue: Promise<unknown> = Promise.resolve();

function sqliteTransaction<T>(sqlite: Database.Database, db: Db, fn: (db: Db) => Promise<T>): Promise<T> {
  if (inTransaction.getStore()) return fn(db);
  const run = async () => {
    sqlite.exec("BEGIN IMMEDIATE");
    try {
      const result = await inTransaction.run(true, () => fn(db));
      sqlite.exec("COMMIT");
      return result;
    } catch (err) {
      if (sqlite.inTransaction) sqlite.exec("ROLLBACK");
      throw err;
    }
  };
  const result = queue.then(run, run);
  queue = result.catch(() => undefined);
  return result;
}
