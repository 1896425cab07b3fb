import { redirect } from "next/navigation";
import { LoginForm } from "@/components/auth/login-form";
import { homeForRole } from "@/lib/auth/roles";
import { getSessionUser } from "@/lib/auth/session";
import { env } from "@/lib/env";

export const metadata = { title: "Sign in" };

function safeCallback(raw: unknown): string | null {
  // Only same-site paths: an open redirect would let a link send users anywhere.
  return typeof raw === "string" && raw.startsWith("/") && !raw.startsWith("//") ? raw : null;
}

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
        initialError={typeof params.error === "string" ? "Sign-in failed. Check your email and password." : null}
      />
    </div>
  );
}
