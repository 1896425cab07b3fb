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
import { safeRedirect } from "./callback-url";
import { signInDelayMs } from "./sign-in-throttle";

const credentialsSchema = z.object({
  email: z.email().max(320),
  password: z.string().min(1).max(200),
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function authorizeCredentials(raw: unknown) {
  const parsed = credentialsSchema.safeParse(raw);
  if (!parsed.success) return null;
  const user = await getUserByEmail({ email: parsed.data.email });
  if (!user?.passwordHash || user.disabled) {
    // Spend comparable time so a missing account is not revealed by timing.
    await verifyPassword(parsed.data.password, "$2b$10$zaiwaj1g0G8SIwC25voFkOyaGTgri4bd3xVWjj.gkGxHc/yBeBjSm");
    return null;
  }
  await sleep(signInDelayMs(user.failedSignIns, user.lastFailedSignInAt));
  if (!(await verifyPassword(parsed.data.password, user.passwordHash))) {
    await recordFailedSignIn({ id: user.id });
    return null;
  }
  if (user.failedSignIns > 0) await clearFailedSignIns({ id: user.id });
  return { id: user.id, email: user.email, name: user.name, role: user.role };
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
