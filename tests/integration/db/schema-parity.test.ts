import { getTableConfig as pgTableConfig, PgTable } from "drizzle-orm/pg-core";
import { getTableConfig as sqliteTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as pgSchema from "@/db/schema/pg";
import * as sqliteSchema from "@/db/schema/sqlite";

// Both dialects must describe the same domain: same tables, columns (name,
// logical type, nullability, default, primary key) and indexes.
type Column = { name: string; dataType: string; notNull: boolean; hasDefault: boolean; primary: boolean; columnType: string };

function logicalType(c: Column): string {
  // A bytea custom type on PostgreSQL is a buffer blob on SQLite.
  if (c.columnType === "PgCustomColumn") return "buffer";
  return c.dataType;
}

function describeTable(columns: Column[], indexes: { name: string; columns: string[]; unique: boolean }[], pk: string[]) {
  return {
    columns: Object.fromEntries(
      columns.map((c) => [c.name, { type: logicalType(c), notNull: c.notNull, hasDefault: c.hasDefault, primary: c.primary }]),
    ),
    indexes: indexes.sort((a, b) => a.name.localeCompare(b.name)),
    primaryKey: pk,
  };
}

function pgTables() {
  return (Object.values(pgSchema) as unknown[])
    .filter((v): v is PgTable => v instanceof PgTable)
    .map((table) => {
      const cfg = pgTableConfig(table);
      const indexes = cfg.indexes.map((i) => ({ name: i.config.name ?? "", columns: i.config.columns.map((c) => (c as { name: string }).name), unique: i.config.unique }));
      return [cfg.name, describeTable(cfg.columns as unknown as Column[], indexes, cfg.primaryKeys.flatMap((p) => p.columns.map((c) => c.name)))] as const;
    });
}

function sqliteTables() {
  return (Object.values(sqliteSchema) as unknown[])
    .filter((v): v is SQLiteTable => v instanceof SQLiteTable)
    .map((table) => {
      const cfg = sqliteTableConfig(table);
      const indexes = cfg.indexes.map((i) => ({ name: i.config.name, columns: i.config.columns.map((c) => (c as { name: string }).name), unique: i.config.unique }));
      return [cfg.name, describeTable(cfg.columns as unknown as Column[], indexes, cfg.primaryKeys.flatMap((p) => p.columns.map((c) => c.name)))] as const;
    });
}

describe("schema parity", () => {
  it("has the same tables in both dialects", () => {
    expect(pgTables().map(([n]) => n).sort()).toEqual(sqliteTables().map(([n]) => n).sort());
  });

  it("has the same columns, types, nullability, defaults and indexes in every table", () => {
    const sqlite = Object.fromEntries(sqliteTables());
    for (const [name, pg] of pgTables()) {
      expect({ table: name, ...sqlite[name] }).toEqual({ table: name, ...pg });
    }
  });

  it("covers the whole domain", () => {
    const names = sqliteTables().map(([n]) => n);
    for (const t of ["users", "sessions", "accounts", "invites", "projects", "prompts", "completions", "assignments", "rankings", "reward_models", "reward_scores", "jobs", "audit_log"]) {
      expect(names).toContain(t);
    }
  });
});
