import "server-only";
import { and, asc, eq, gt, sql } from "drizzle-orm";
import type { Role } from "@/lib/users/roles";
import { getDb } from "../client";

export type UserRow = ReturnType<typeof getDb>["t"]["users"]["$inferSelect"];
/** What the app may show of a user: never the password hash. */
export type PublicUser = Pick<UserRow, "id" | "email" | "name" | "role" | "disabled" | "createdAt">;

const normalizeEmail = (email: string) => email.trim().toLowerCase();

export async function getUserByEmail({ email }: { email: string }): Promise<UserRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.users).where(eq(t.users.email, normalizeEmail(email))).limit(1);
  return row;
}

export async function getUserById({ id }: { id: string }): Promise<UserRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db.select().from(t.users).where(eq(t.users.id, id)).limit(1);
  return row;
}

export async function listUsers(): Promise<PublicUser[]> {
  const { db, t } = getDb();
  return db
    .select({ id: t.users.id, email: t.users.email, name: t.users.name, role: t.users.role, disabled: t.users.disabled, createdAt: t.users.createdAt })
    .from(t.users)
    .orderBy(asc(t.users.createdAt));
}

export async function createUser(input: { email: string; name: string; role: Role; passwordHash: string | null }): Promise<UserRow> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db
      .insert(t.users)
      .values({ ...input, email: normalizeEmail(input.email) })
      .returning();
    return row;
  });
}

export async function updateUser({ id, ...patch }: { id: string; role?: Role; disabled?: boolean; name?: string; passwordHash?: string }): Promise<UserRow | undefined> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.update(t.users).set(patch).where(eq(t.users.id, id)).returning();
    // Disabling a user ends their sessions at once.
    if (row && patch.disabled) await db.delete(t.sessions).where(eq(t.sessions.userId, id));
    return row;
  });
}

export async function recordFailedSignIn({ id }: { id: string }): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) =>
    db.update(t.users)
      .set({ failedSignIns: sql`${t.users.failedSignIns} + 1`, lastFailedSignInAt: new Date() })
      .where(eq(t.users.id, id)),
  );
}

export async function clearFailedSignIns({ id }: { id: string }): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.update(t.users).set({ failedSignIns: 0, lastFailedSignInAt: null }).where(eq(t.users.id, id)));
}

export async function countActiveAdmins(): Promise<number> {
  const { db, t } = getDb();
  const [row] = await db
    .select({ n: sql<number>`count(*)` })
    .from(t.users)
    .where(and(eq(t.users.role, "admin"), eq(t.users.disabled, false)));
  return Number(row?.n ?? 0);
}

// ---- sessions ----

export async function createSession({ userId, expiresAt }: { userId: string; expiresAt: Date }): Promise<string> {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.insert(t.sessions).values({ userId, expiresAt }).returning({ id: t.sessions.id });
    return row.id;
  });
}

/** The signed-in user behind a session id, or undefined when it ended, expired or the user is disabled. */
export async function getLiveSessionUser({ sessionId }: { sessionId: string }): Promise<UserRow | undefined> {
  const { db, t } = getDb();
  const [row] = await db
    .select({ user: t.users })
    .from(t.sessions)
    .innerJoin(t.users, eq(t.users.id, t.sessions.userId))
    .where(and(eq(t.sessions.id, sessionId), gt(t.sessions.expiresAt, new Date()), eq(t.users.disabled, false)))
    .limit(1);
  return row?.user;
}

export async function deleteSession({ sessionId }: { sessionId: string }): Promise<void> {
  const { t, tx } = getDb();
  await tx((db) => db.delete(t.sessions).where(eq(t.sessions.id, sessionId)));
}
