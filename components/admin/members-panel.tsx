"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Input, Select } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { MemberRole } from "@/lib/queue/membership";
import type { QualificationProgress } from "@/lib/queue/types";
import { MemberAddForm, memberLimits } from "./member-add-form";

interface Member {
  userId: string;
  name: string;
  email: string;
  role: MemberRole;
  quota: number | null;
  tags: string[] | null;
  languages: string[] | null;
  submitted: number;
  qualification: QualificationProgress | null;
}

/** Who works on this project: add and remove people, set their quota and targeting, see and reset their qualification. */
export function MembersPanel({ projectId }: { projectId: string }) {
  const members = useQuery({ queryKey: queryKeys.members(projectId), queryFn: () => apiFetch<{ members: Member[] }>(`/api/projects/${projectId}/members`) });
  const list = members.data?.members ?? [];
  return (
    <Card title="Members">
      <p className="mb-3 text-sm text-slate-700 dark:text-slate-300">Annotators and reviewers see and label only the projects they are members of; admins and researchers can open any.</p>
      <div className="overflow-x-auto">
        <table className="w-full text-left text-sm" data-testid="members-table">
          <thead className="text-xs uppercase text-slate-500">
            <tr><th className="py-2">Member</th><th>Role</th><th>Rankings</th><th>Quota</th><th>Tags</th><th>Languages</th><th>Qualification</th><th><span className="sr-only">Actions</span></th></tr>
          </thead>
          <tbody className="divide-y divide-slate-200 dark:divide-slate-800">
            {list.map((m) => <MemberRowView key={m.userId} projectId={projectId} member={m} />)}
          </tbody>
        </table>
      </div>
      {members.isSuccess && list.length === 0 ? <p className="mt-2 text-sm" role="status">No members yet.</p> : null}
      <MemberAddForm projectId={projectId} memberIds={new Set(list.map((m) => m.userId))} />
    </Card>
  );
}

function QualificationCell({ q, onReset, busy, name }: { q: QualificationProgress | null; onReset: () => void; busy: boolean; name: string }) {
  if (!q) return <span className="text-slate-500">—</span>;
  const tone = q.status === "passed" ? "green" : q.status === "failed" ? "red" : "amber";
  return (
    <span className="flex flex-wrap items-center gap-2">
      <Badge tone={tone}>{q.status}</Badge>
      <span>{q.correct} of {q.done} right</span>
      {q.status === "failed" ? <Button variant="secondary" disabled={busy} onClick={onReset} aria-label={`Reset the qualification of ${name}`}>Reset</Button> : null}
    </span>
  );
}

function MemberRowView({ projectId, member: m }: { projectId: string; member: Member }) {
  const qc = useQueryClient();
  const [form, setForm] = useState({ role: m.role, quota: m.quota?.toString() ?? "", tags: (m.tags ?? []).join(", "), languages: (m.languages ?? []).join(", ") });
  const base = `/api/projects/${projectId}/members/${m.userId}`;
  const refresh = () => qc.invalidateQueries({ queryKey: queryKeys.members(projectId) });
  const save = useMutation({ mutationFn: () => apiFetch(base, { method: "PATCH", body: { role: form.role, ...memberLimits(form) } }), onSettled: refresh });
  const remove = useMutation({ mutationFn: () => apiFetch(base, { method: "DELETE" }), onSettled: refresh });
  const reset = useMutation({ mutationFn: () => apiFetch(`${base}/reset-qualification`, { method: "POST" }), onSettled: refresh });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  const error = save.error ?? remove.error ?? reset.error;
  return (
    <tr data-testid="member-row" data-user-id={m.userId}>
      <td className="py-2 pr-3"><span className="font-medium">{m.name}</span> <span className="text-slate-600 dark:text-slate-400">{m.email}</span></td>
      <td className="pr-3">
        <Select aria-label={`Member role of ${m.name}`} value={form.role} onChange={set("role")} className="w-auto">
          <option value="annotator">annotator</option>
          <option value="reviewer">reviewer</option>
        </Select>
      </td>
      <td className="pr-3">{m.submitted}</td>
      <td className="pr-3"><Input aria-label={`Quota of ${m.name}`} type="number" min={0} value={form.quota} onChange={set("quota")} className="w-24" placeholder="none" /></td>
      <td className="pr-3"><Input aria-label={`Tags of ${m.name}`} value={form.tags} onChange={set("tags")} placeholder="any" /></td>
      <td className="pr-3"><Input aria-label={`Languages of ${m.name}`} value={form.languages} onChange={set("languages")} placeholder="any" className="w-28" /></td>
      <td className="pr-3"><QualificationCell q={m.qualification} onReset={() => reset.mutate()} busy={reset.isPending} name={m.name} /></td>
      <td className="space-x-2 whitespace-nowrap text-right">
        <Button variant="secondary" disabled={save.isPending} onClick={() => save.mutate()} aria-label={`Save ${m.name}`}>Save</Button>
        <Button variant="danger" disabled={remove.isPending} onClick={() => remove.mutate()} aria-label={`Remove ${m.name}`}>Remove</Button>
        {error ? <span role="alert" className="block text-sm text-red-600">{error.message}</span> : null}
      </td>
    </tr>
  );
}
