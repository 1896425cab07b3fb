import "server-only";
import { desc } from "drizzle-orm";
import { getDb } from "../client";

export async function writeAudit(entry: {
  actorId: string | null;
  action: string;
  targetType?: string;
  targetId?: string;
  details?: Record<string, unknown>;
}): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.insert(t.auditLog).values(entry));
}

export async function listAudit({ limit = 100 }: { limit?: number } = {}) {
  const { db, t } = getDb();
  return db.select().from(t.auditLog).orderBy(desc(t.auditLog.createdAt)).limit(limit);
}
