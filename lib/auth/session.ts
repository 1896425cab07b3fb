import "server-only";
import { getServerSession } from "next-auth";
import { cache } from "react";
import { getLiveSessionUser } from "@/db/queries/users";
import { authOptions } from "./options";
import type { Role } from "@/lib/users/roles";

export interface SessionUser {
  id: string;
  email: string;
  name: string;
  role: Role;
  sessionId: string;
}

/**
 * The signed-in user, read from the JWT and confirmed against the database:
 * the session must still exist (not signed out, not expired) and the user must
 * be enabled. The role comes from the database, so a role change applies at once.
 */
export const getSessionUser = cache(readSessionUser);

// The layout and the page both ask during one render; `cache` makes that one lookup.
async function readSessionUser(): Promise<SessionUser | null> {
  const session = await getServerSession(authOptions());
  const sid = session?.sid;
  if (!sid) return null;
  const user = await getLiveSessionUser({ sessionId: sid });
  if (!user) return null;
  return { id: user.id, email: user.email, name: user.name, role: user.role, sessionId: sid };
}
