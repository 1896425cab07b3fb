import "server-only";
import { and, eq, gt, isNull } from "drizzle-orm";
import type { Role } from "@/lib/users/roles";
import { conflict, AppError } from "@/lib/errors";
import { getDb } from "../client";

export async function createInvite(input: { tokenHash: string; email: string; role: Role; createdBy: string; expiresAt: Date; purpose?: "invite" | "reset" }) {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [row] = await db.insert(t.invites).values({ ...input, email: input.email.trim().toLowerCase() }).returning();
    return row;
  });
}

/** The unused, unexpired link with this token hash, if any: checked before any slow work (hashing a password). */
export async function findRedeemableInvite({ tokenHash }: { tokenHash: string }) {
  const { db, t } = getDb();
  const [row] = await db
    .select({ id: t.invites.id, email: t.invites.email, purpose: t.invites.purpose })
    .from(t.invites)
    .where(and(eq(t.invites.tokenHash, tokenHash), isNull(t.invites.usedAt), gt(t.invites.expiresAt, new Date())))
    .limit(1);
  return row;
}

/**
 * Redeems a one-time link: marks it used and creates (invite) or updates
 * (reset) the user, all in one transaction, so a link works exactly once.
 */
export async function redeemInvite(input: { tokenHash: string; name: string; passwordHash: string }) {
  const { t, tx } = getDb();
  return tx(async (db) => {
    const [invite] = await db
      .update(t.invites)
      .set({ usedAt: new Date() })
      .where(and(eq(t.invites.tokenHash, input.tokenHash), isNull(t.invites.usedAt), gt(t.invites.expiresAt, new Date())))
      .returning();
    if (!invite) throw new AppError("gone", "This link is invalid, expired or already used");
    const [existing] = await db.select().from(t.users).where(eq(t.users.email, invite.email)).limit(1);
    if (invite.purpose === "reset") {
      if (!existing) throw new AppError("gone", "This link is invalid, expired or already used");
      await db.update(t.users).set({ passwordHash: input.passwordHash, failedSignIns: 0 }).where(eq(t.users.id, existing.id));
      await db.delete(t.sessions).where(eq(t.sessions.userId, existing.id));
      return existing;
    }
    if (existing) throw conflict("An account with this email already exists");
    const [user] = await db
      .insert(t.users)
      .values({ email: invite.email, name: input.name, role: invite.role, passwordHash: input.passwordHash })
      .returning();
    return user;
  });
}
