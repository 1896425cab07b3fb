"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Select } from "@/components/ui/field";
import type { CompletionSlot } from "@/lib/models/slots";
import type { VersionView } from "@/lib/research/versions";

const MIN_SLOTS = 2;
const MAX_SLOTS = 9;

/**
 * Which version and preset write each of the K completions annotators rank
 * (admins only). Saving keeps every completion already written; "Generate
 * missing completions" then fills only the slots each prompt lacks. The
 * form starts from the saved slots and keeps its own edits across refetches.
 */
export function SlotsEditor({ projectId, versions, presets, slots: saved }: { projectId: string; versions: VersionView[]; presets: string[]; slots: CompletionSlot[] }) {
  const qc = useQueryClient();
  const [slots, setSlots] = useState<CompletionSlot[]>(saved);
  const set = (i: number, patch: Partial<CompletionSlot>) => setSlots((s) => s.map((slot, j) => (j === i ? { ...slot, ...patch } : slot)));
  const save = useMutation({
    mutationFn: () => apiFetch(`/api/projects/${projectId}/versions/slots`, { method: "PUT", body: { slots } }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.versions(projectId) }),
  });
  const generate = useMutation({
    mutationFn: () => apiFetch<{ job: { progressTotal: number }; alreadyRunning: boolean }>(`/api/projects/${projectId}/generate`, { method: "POST" }),
    onSuccess: () => qc.invalidateQueries({ queryKey: queryKeys.jobs(projectId) }),
  });
  const first = versions[0];
  return (
    <Card title="Completion slots (blind comparison)">
      <p className="mb-3 text-xs text-slate-600 dark:text-slate-400">
        Annotators see the K completions of a prompt shuffled and unlabelled. Give slots to a new version to compare it with the others; completions
        already written are kept.
      </p>
      <ol className="space-y-2" data-testid="slots">
        {slots.map((slot, i) => (
          <li key={i} className="flex flex-wrap items-center gap-2 text-sm">
            <span className="w-14 text-slate-500">Slot {i + 1}</span>
            <Select aria-label={`Slot ${i + 1} version`} className="w-48" value={slot.versionId} onChange={(e) => set(i, { versionId: e.target.value })}>
              {versions.map((v) => <option key={v.id} value={v.id}>{v.name}</option>)}
            </Select>
            <Select aria-label={`Slot ${i + 1} preset`} className="w-48" value={slot.preset} onChange={(e) => set(i, { preset: e.target.value })}>
              {presets.map((p) => <option key={p} value={p}>{p}</option>)}
            </Select>
            <Button variant="ghost" disabled={slots.length <= MIN_SLOTS} onClick={() => setSlots((s) => s.filter((_, j) => j !== i))}>Remove</Button>
          </li>
        ))}
      </ol>
      <div className="mt-3 flex flex-wrap items-center gap-2">
        <Button variant="secondary" disabled={slots.length >= MAX_SLOTS || !first || presets.length === 0} onClick={() => setSlots((s) => [...s, { versionId: first!.id, preset: presets[0]! }])}>Add slot</Button>
        <Button onClick={() => save.mutate()} disabled={save.isPending}>Save slots</Button>
        <Button variant="secondary" onClick={() => generate.mutate()} disabled={generate.isPending}>Generate missing completions</Button>
        {save.isSuccess ? <span role="status" className="text-sm text-green-700 dark:text-green-400">Saved: K = {slots.length}.</span> : null}
        {generate.data ? (
          <span role="status" className="text-sm text-slate-700 dark:text-slate-300">
            {generate.data.alreadyRunning ? "Generation is already running." : `Generation queued: ${generate.data.job.progressTotal} prompt fills.`}
          </span>
        ) : null}
      </div>
      {save.error ? <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{save.error.message}</p> : null}
      {generate.error ? <p role="alert" className="mt-2 text-sm text-red-700 dark:text-red-400">{generate.error.message}</p> : null}
    </Card>
  );
}
