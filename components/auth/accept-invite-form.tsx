"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import type { FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";

export function AcceptInviteForm({ token }: { token: string }) {
  const accept = useMutation({
    mutationFn: (body: { token: string; name: string; password: string }) => apiFetch<{ email: string }>("/api/invites/accept", { body }),
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    accept.mutate({ token, name: String(form.get("name")), password: String(form.get("password")) });
  }
  if (accept.isSuccess) {
    return (
      <p className="text-sm">
        Done. <Link className="text-indigo-600 underline" href="/login">Sign in as {accept.data.email}</Link>.
      </p>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4">
      <Field label="Your name" htmlFor="name"><Input id="name" name="name" required autoComplete="name" /></Field>
      <Field label="Password" htmlFor="password" hint="At least 8 characters."><Input id="password" name="password" type="password" minLength={8} required autoComplete="new-password" /></Field>
      {accept.error ? <p role="alert" className="text-sm text-red-600">{accept.error.message}</p> : null}
      <Button type="submit" className="w-full" disabled={accept.isPending}>Create account</Button>
    </form>
  );
}
