"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input, Select } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { MemberRole } from "@/lib/queue/membership";
import { splitList } from "@/lib/queue/targeting";
import type { Role } from "@/lib/users/roles";

interface UserItem { id: string; email: string; name: string; role: Role; disabled: boolean }

/** The optional limits typed into a form: "" means none. */
export function memberLimits(form: { quota: string; tags: string; languages: string }) {
  const list = (s: string) => (splitList(s).length ? splitList(s) : null);
  return { quota: form.quota.trim() === "" ? null : Number(form.quota), tags: list(form.tags), languages: list(form.languages) };
}

/** Adds one user (with a role and optional quota, tags, languages) or every annotator who is not a member yet. */
export function MemberAddForm({ projectId, memberIds }: { projectId: string; memberIds: Set<string> }) {
  const qc = useQueryClient();
  const users = useQuery({ queryKey: queryKeys.users, queryFn: () => apiFetch<{ users: UserItem[] }>("/api/users") });
  const [form, setForm] = useState({ userId: "", role: "annotator" as MemberRole, quota: "", tags: "", languages: "" });
  const add = useMutation({
    mutationFn: (body: Record<string, unknown>) => apiFetch<{ added: string[] }>(`/api/projects/${projectId}/members`, { body }),
    onSuccess: () => setForm((f) => ({ ...f, userId: "" })),
    onSettled: () => qc.invalidateQueries({ queryKey: queryKeys.members(projectId) }),
  });
  const candidates = (users.data?.users ?? []).filter((u) => !u.disabled && !memberIds.has(u.id));
  const annotators = candidates.filter((u) => u.role === "annotator");
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    if (form.userId) add.mutate({ userIds: [form.userId], role: form.role, ...memberLimits(form) });
  }
  return (
    <form onSubmit={onSubmit} className="mt-4 grid gap-3 border-t border-slate-200 pt-4 sm:grid-cols-3 dark:border-slate-800" aria-label="Add a member">
      <Field label="Person" htmlFor="member-user">
        <Select id="member-user" value={form.userId} onChange={set("userId")}>
          <option value="">Choose…</option>
          {candidates.map((u) => <option key={u.id} value={u.id}>{`${u.name} (${u.email}, ${u.role})`}</option>)}
        </Select>
      </Field>
      <Field label="Member role" htmlFor="member-role">
        <Select id="member-role" value={form.role} onChange={set("role")}>
          <option value="annotator">annotator</option>
          <option value="reviewer">reviewer</option>
        </Select>
      </Field>
      <Field label="Quota (optional)" htmlFor="member-quota" hint="Most regular rankings in this project">
        <Input id="member-quota" type="number" min={0} value={form.quota} onChange={set("quota")} />
      </Field>
      <Field label="Tags (optional)" htmlFor="member-tags" hint="Only prompts with one of these, e.g. math; code">
        <Input id="member-tags" value={form.tags} onChange={set("tags")} />
      </Field>
      <Field label="Languages (optional)" htmlFor="member-languages" hint="Only prompts in these, e.g. en, de">
        <Input id="member-languages" value={form.languages} onChange={set("languages")} />
      </Field>
      <div className="flex flex-wrap items-end gap-2">
        <Button type="submit" disabled={!form.userId || add.isPending}>Add member</Button>
        <Button variant="secondary" disabled={annotators.length === 0 || add.isPending} onClick={() => add.mutate({ userIds: annotators.map((u) => u.id), role: "annotator" })}>
          Add all annotators ({annotators.length})
        </Button>
      </div>
      {add.error ? <p role="alert" className="text-sm text-red-600 sm:col-span-3">{add.error.message}</p> : null}
    </form>
  );
}
