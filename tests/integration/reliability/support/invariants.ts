/**
 * What "never losing a label" means, checked on the database itself (not
 * through the app that might be wrong): every acknowledged ranking is stored
 * exactly once, no prompt has more than N rankings, and no ranking is
 * half-written (each one matches a submitted assignment and ranks every
 * completion of its prompt, and every submitted assignment has its ranking).
 */
import Database from "better-sqlite3";
import pg from "pg";
import type { Ack } from "./load";
import type { DbEnv } from "./server";

export interface InvariantReport {
  rankings: number;
  acknowledged: number;
  ackedMissing: string[];
  ackedTwice: string[];
  storedNotAcked: number;
  promptsOverN: string[];
  promptsAtN: number;
  prompts: number;
  halfWritten: string[];
  integrity: string;
  activeLeases: number;
}

type Row = Record<string, unknown>;

async function query(target: DbEnv, text: string, params: unknown[]): Promise<Row[]> {
  if ("SQLITE_PATH" in target) {
    const db = new Database(target.SQLITE_PATH, { readonly: true, fileMustExist: true });
    try {
      // PostgreSQL placeholders ($1) are written once; SQLite takes ?.
      return db.prepare(text.replace(/\$\d+/g, "?")).all(...params) as Row[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: target.DATABASE_URL });
  await client.connect();
  try {
    return (await client.query(text, params)).rows;
  } finally {
    await client.end();
  }
}

const asObject = (v: unknown): Record<string, number> => (typeof v === "string" ? JSON.parse(v) : (v as Record<string, number>));

export async function checkInvariants(target: DbEnv, opts: { projectId: string; rankingsPerPrompt: number; acked: Ack[] }): Promise<InvariantReport> {
  const p = [opts.projectId];
  const rankings = await query(target, "select id, prompt_id, user_id, assignment_id, submission_key, ranks from rankings where project_id = $1", p);
  const assignments = await query(target, "select id, status, lease_expires_at from assignments where project_id = $1", p);
  const completions = await query(target, "select c.id, c.prompt_id from completions c join prompts pr on pr.id = c.prompt_id where pr.project_id = $1", p);
  const prompts = await query(target, "select id from prompts where project_id = $1", p);

  const byKey = new Map<string, number>();
  for (const r of rankings) byKey.set(String(r.submission_key), (byKey.get(String(r.submission_key)) ?? 0) + 1);
  const ackedKeys = new Set(opts.acked.map((a) => a.submissionKey));
  const perPrompt = new Map<string, number>();
  for (const r of rankings) perPrompt.set(String(r.prompt_id), (perPrompt.get(String(r.prompt_id)) ?? 0) + 1);
  const completionsOf = new Map<string, string[]>();
  for (const c of completions) completionsOf.set(String(c.prompt_id), [...(completionsOf.get(String(c.prompt_id)) ?? []), String(c.id)]);
  const assignmentById = new Map(assignments.map((a) => [String(a.id), a]));

  const halfWritten: string[] = [];
  const rankedAssignments = new Set<string>();
  for (const r of rankings) {
    const a = assignmentById.get(String(r.assignment_id));
    rankedAssignments.add(String(r.assignment_id));
    if (a?.status !== "submitted") halfWritten.push(`ranking ${r.id}: its assignment is ${a ? String(a.status) : "missing"}`);
    const ranks = asObject(r.ranks);
    const want = [...(completionsOf.get(String(r.prompt_id)) ?? [])].sort();
    if (JSON.stringify(Object.keys(ranks).sort()) !== JSON.stringify(want)) halfWritten.push(`ranking ${r.id}: ranks do not cover the prompt's completions`);
    if (Object.values(ranks).some((v) => !Number.isInteger(v) || v < 1 || v > want.length)) halfWritten.push(`ranking ${r.id}: a rank is out of range`);
  }
  for (const a of assignments) if (a.status === "submitted" && !rankedAssignments.has(String(a.id))) halfWritten.push(`assignment ${a.id}: submitted without a ranking`);

  const now = Date.now();
  const integrity = "SQLITE_PATH" in target ? String((await query(target, "pragma integrity_check", []))[0]?.integrity_check) : "n/a (PostgreSQL)";
  return {
    rankings: rankings.length,
    acknowledged: ackedKeys.size,
    ackedMissing: [...ackedKeys].filter((k) => !byKey.has(k)),
    ackedTwice: [...byKey].filter(([, n]) => n > 1).map(([k]) => k),
    storedNotAcked: [...byKey.keys()].filter((k) => !ackedKeys.has(k)).length,
    promptsOverN: [...perPrompt].filter(([, n]) => n > opts.rankingsPerPrompt).map(([id, n]) => `${id}: ${n}`),
    promptsAtN: [...perPrompt.values()].filter((n) => n === opts.rankingsPerPrompt).length,
    prompts: prompts.length,
    halfWritten,
    integrity,
    activeLeases: assignments.filter((a) => a.status === "active" && new Date(a.lease_expires_at as number).getTime() > now).length,
  };
}

/** Ages every live lease of a project, as if its holders walked away long ago (a clock jump in the database). */
export async function expireLeases(target: { SQLITE_PATH: string }, projectId: string): Promise<number> {
  const db = new Database(target.SQLITE_PATH, { timeout: 5000 });
  try {
    return db.prepare("update assignments set lease_expires_at = ? where project_id = ? and status = 'active'").run(Date.now() - 1000, projectId).changes;
  } finally {
    db.close();
  }
}
