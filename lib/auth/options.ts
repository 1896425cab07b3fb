/**
 * next-auth configuration: email + password for everyone, GitHub and Google
 * only when their credentials are configured. Sessions are JWTs that carry a
 * server-side session id, so sign-out and disabling a user take effect at once
 * (see getSessionUser).
 */
import type { NextAuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import GitHubProvider from "next-auth/providers/github";
import GoogleProvider from "next-auth/providers/google";
import { z } from "zod";
import { clearFailedSignIns, createSession, deleteSession, getUserByEmail, recordFailedSignIn } from "@/db/queries/users";
import { env } from "@/lib/env";
import { verifyPassword } from "@/lib/users/password";
import type { Role } from "@/lib/users/roles";
import { requestAddress, signInGuard } from "./attempt-limits";
import { safeRedirect } from "./callback-url";
import { RATE_LIMITED } from "./sign-in-messages";
import { signInDelayMs } from "./sign-in-throttle";

const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

// Spent when there is no account to check, so a missing account is not revealed by timing.
const DUMMY_HASH = "$2b$10$zaiwaj1g0G8SIwC25voFkOyaGTgri4bd3xVWjj.gkGxHc/yBeBjSm";

type SignInUser = { id: string; email: string; name: string; role: Role };

export async function authorizeCredentials(raw: unknown, req: { headers?: Record<string, string | string[] | undefined> } | undefined): Promise<SignInUser | null> {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const { email, password } = parsed.data;
  let signedIn: SignInUser | null = null;
  // Runs one at a time per email, so each attempt sees the failures recorded before it.
  const outcome = await signInGuard().attempt(email, requestAddress(req?.headers), async () => {
    const user = await getUserByEmail({ email });
    if (!user?.passwordHash || user.disabled) {
      await verifyPassword(password, DUMMY_HASH);
      return false;
    }
    await sleep(signInDelayMs(user.failedSignIns, user.lastFailedSignInAt));
    if (!(await verifyPassword(password, user.passwordHash))) {
      await recordFailedSignIn({ id: user.id });
      return false;
    }
    if (user.failedSignIns > 0) await clearFailedSignIns({ id: user.id });
    signedIn = { id: user.id, email: user.email, name: user.name, role: user.role };
    return true;
  });
  if (outcome === "limited") throw new Error(RATE_LIMITED);
  return outcome === "ok" ? signedIn : null;
}

function providers(): NextAuthOptions["providers"] {
  const e = env();
  const list: NextAuthOptions["providers"] = [
    CredentialsProvider({
      name: "Email and password",
      credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
      authorize: authorizeCredentials,
    }),
  ];
  if (e.GITHUB_ID && e.GITHUB_SECRET) list.push(GitHubProvider({ clientId: e.GITHUB_ID, clientSecret: e.GITHUB_SECRET }));
  if (e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) {
    list.push(GoogleProvider({ clientId: e.GOOGLE_CLIENT_ID, clientSecret: e.GOOGLE_CLIENT_SECRET }));
  }
  return list;
}

export function authOptions(): NextAuthOptions {
  const maxAge = env().SESSION_MAX_AGE_HOURS * 3600;
  return {
    secret: env().NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge },
    pages: { signIn: "/login", error: "/login" },
    providers: providers(),
    callbacks: {
      redirect: async (params) => safeRedirect(params),
      // OAuth sign-in is invite-only: the email must belong to an enabled user.
      async signIn({ user, account }) {
        if (!account || account.provider === "credentials") return true;
        const existing = user.email ? await getUserByEmail({ email: user.email }) : undefined;
        return Boolean(existing && !existing.disabled);
      },
      async jwt({ token, user, account }) {
        if (user && account) {
          const row = account.provider === "credentials" ? user : await getUserByEmail({ email: user.email ?? "" });
          if (!row) return token;
          const sid = await createSession({ userId: row.id, expiresAt: new Date(Date.now() + maxAge * 1000) });
          return { ...token, sub: row.id, sid, role: (row as { role: Role }).role };
        }
        return token;
      },
      async session({ session, token }) {
        return { ...session, user: { ...session.user, id: token.sub, role: token.role }, sid: token.sid };
      },
    },
    events: {
      async signOut({ token }) {
        if (typeof token?.sid === "string") await deleteSession({ sessionId: token.sid });
      },
    },
  };
}
