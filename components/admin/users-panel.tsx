"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Field, Input, Select } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import { roleSchema, type Role } from "@/lib/users/roles";

/** Every role, in roles.ts order, for the role pickers. */
const ROLE_OPTIONS = roleSchema.options.map((r) => <option key={r} value={r}>{r}</option>);

interface UserItem { id: string; email: string; name: string; role: Role; disabled: boolean }

export function UsersPanel({ currentUserId }: { currentUserId: string }) {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.users, queryFn: () => apiFetch<{ users: UserItem[] }>("/api/users") });
  const update = useMutation({
    mutationFn: ({ id, ...patch }: { id: string; role?: Role; disabled?: boolean }) => apiFetch(`/api/users/${id}`, { method: "PATCH", body: patch }),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.users }),
  });

  return (
    <div className="space-y-6">
      <InviteForm />
      <Card title="People">
        {users.isLoading ? <p className="text-sm">Loading…</p> : null}
        {update.error ? <p role="alert" className="mb-3 text-sm text-red-600">{update.error.message}</p> : null}
        <div className="overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="text-xs uppercase text-slate-500">
              <tr><th className="py-2">Name</th><th>Email</th><th>Role</th><th>Status</th><th><span className="sr-only">Actions</span></th></tr>
            </thead>
            <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
              {users.data?.users.map((u) => (
                <tr key={u.id}>
                  <td className="py-2 pr-3 font-medium">{u.name}</td>
                  <td className="pr-3">{u.email}</td>
                  <td className="pr-3">
                    <label className="sr-only" htmlFor={`role-${u.id}`}>Role of {u.email}</label>
                    <Select id={`role-${u.id}`} value={u.role} disabled={u.id === currentUserId} onChange={(e) => update.mutate({ id: u.id, role: e.target.value as Role })}>
                      {ROLE_OPTIONS}
                    </Select>
                  </td>
                  <td className="pr-3">{u.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</td>
                  <td className="text-right">
                    {u.id !== currentUserId ? (
                      <Button variant="secondary" onClick={() => update.mutate({ id: u.id, disabled: !u.disabled })}>
                        {u.disabled ? "Enable" : "Disable"}
                      </Button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Card>
    </div>
  );
}

function InviteForm() {
  const qc = useQueryClient();
  const [link, setLink] = useState<string | null>(null);
  const invite = useMutation({
    mutationFn: (body: { email: string; role: Role }) => apiFetch<{ url: string }>("/api/invites", { body }),
    onSuccess: (res) => {
      setLink(res.url);
      void qc.invalidateQueries({ queryKey: queryKeys.users });
    },
  });
  function onSubmit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    invite.mutate({ email: String(form.get("email")), role: String(form.get("role")) as Role });
  }
  return (
    <Card title="Invite someone">
      <form onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-[1fr_12rem_auto] sm:items-end">
        <Field label="Email" htmlFor="invite-email"><Input id="invite-email" name="email" type="email" required /></Field>
        <Field label="Role" htmlFor="invite-role">
          <Select id="invite-role" name="role" defaultValue="annotator">
            {ROLE_OPTIONS}
          </Select>
        </Field>
        <Button type="submit" disabled={invite.isPending}>Create invite link</Button>
      </form>
      {invite.error ? <p role="alert" className="mt-3 text-sm text-red-600">{invite.error.message}</p> : null}
      {link ? (
        <p className="mt-3 break-all text-sm" data-testid="invite-link">
          One-time link (valid 72 hours): <code className="rounded bg-slate-100 px-1 dark:bg-slate-800">{link}</code>
        </p>
      ) : null}
    </Card>
  );
}
