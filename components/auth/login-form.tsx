"use client";

import { signIn } from "next-auth/react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { signInErrorMessage } from "@/lib/auth/sign-in-messages";

export function LoginForm({ callbackUrl, oauth, initialError }: { callbackUrl: string | null; oauth: { github: boolean; google: boolean }; initialError: string | null }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(initialError);
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    setPending(true);
    setError(null);
    const res = await signIn("credentials", { email: String(form.get("email")), password: String(form.get("password")), redirect: false });
    setPending(false);
    if (!res || res.error) {
      setError(signInErrorMessage(res?.error ?? ""));
      return;
    }
    // The server decides where each role lands.
    router.replace(callbackUrl ?? "/");
    router.refresh();
  }

  return (
    <div className="space-y-6">
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <Field label="Email" htmlFor="email">
          <Input id="email" name="email" type="email" autoComplete="email" required />
        </Field>
        <Field label="Password" htmlFor="password">
          <Input id="password" name="password" type="password" autoComplete="current-password" required />
        </Field>
        {error ? (
          <p role="alert" className="rounded-md bg-red-50 p-3 text-sm text-red-700 dark:bg-red-950 dark:text-red-300">
            {error}
          </p>
        ) : null}
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? "Signing in…" : "Sign in"}
        </Button>
      </form>
      {oauth.github || oauth.google ? (
        <div className="space-y-2">
          {oauth.github ? <Button variant="secondary" className="w-full" onClick={() => signIn("github", { callbackUrl: callbackUrl ?? "/" })}>Continue with GitHub</Button> : null}
          {oauth.google ? <Button variant="secondary" className="w-full" onClick={() => signIn("google", { callbackUrl: callbackUrl ?? "/" })}>Continue with Google</Button> : null}
        </div>
      ) : null}
    </div>
  );
}
