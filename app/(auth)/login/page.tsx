import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { safeCallbackPath } from "@/lib/auth/callback-url";
import { RATE_LIMITED, signInErrorMessage } from "@/lib/auth/sign-in-messages";
import { homeForRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata = { title: "Sign in" };

// Only same-origin paths: an open redirect would let a link send users anywhere.
const safeCallback = (raw: unknown) => safeCallbackPath(raw, env().NEXTAUTH_URL ?? "http://localhost");

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const user = await getSessionUser();
  if (user) redirect(safeCallback(params.callbackUrl) ?? homeForRole[user.role]);
  const e = env();
  return (
    <div className="mx-auto mt-12 max-w-sm">
      <h1 className="mb-6 text-2xl font-bold tracking-tight">Sign in to RLHF Studio</h1>
      <LoginForm
        callbackUrl={safeCallback(params.callbackUrl)}
        oauth={{ github: Boolean(e.GITHUB_ID && e.GITHUB_SECRET), google: Boolean(e.GOOGLE_CLIENT_ID && e.GOOGLE_CLIENT_SECRET) }}
        initialError={typeof params.error === "string" ? (params.error === RATE_LIMITED ? signInErrorMessage(RATE_LIMITED) : "Sign-in failed. Check your email and password.") : null}
      />
    </div>
  );
}
