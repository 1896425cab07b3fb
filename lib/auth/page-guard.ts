import "server-only";
import { forbidden, redirect } from "next/navigation";
import type { Role } from "@/lib/users/roles";
import { getSessionUser, type SessionUser } from "./session";

/**
 * For server components: a signed-out visitor is sent to sign-in, a user
 * without one of `roles` gets the 403 page. Returns the user otherwise.
 */
export async function requirePageRole(roles: readonly Role[], callbackPath: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/login?callbackUrl=${encodeURIComponent(callbackPath)}`);
  if (!roles.includes(user.role)) forbidden();
  return user;
}
