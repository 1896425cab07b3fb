"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Badge, Card } from "@/components/ui/card";
import { Select, Textarea } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

type Gold = { best?: string; worst?: string; rationale?: string };
interface PromptItem {
  id: string;
  text: string | null;
  messages: { role: string; content: string }[] | null;
  completionCount: number;
  rankingCount: number;
  gold: Gold | null;
  /** Why generation skipped this prompt under the project's current settings; null when it did not. */
  generationError: string | null;
}
interface PromptDetail { prompt: { id: string; gold: Gold | null }; completions: { id: string; text: string; presetName: string | null; seed: number | null; tokenCount: number | null; finishReason: string | null; verdict: { correct: boolean; reason: string } | null }[] }

const PAGE = 50;

function promptText(p: PromptItem): string {
  return p.text ?? (p.messages ?? []).map((m) => `${m.role}: ${m.content}`).join(" · ");
}

/** The project's prompts; open one to see its completions (with preset and seed) and mark gold answers. */
export function PromptsPanel({ projectId }: { projectId: string }) {
  const [page, setPage] = useState(0);
  const [open, setOpen] = useState<string | null>(null);
  const list = useQuery({
    queryKey: [...queryKeys.prompts(projectId), page],
    queryFn: () => apiFetch<{ prompts: PromptItem[] }>(`/api/projects/${projectId}/prompts?limit=${PAGE}&offset=${page * PAGE}`),
  });
  return (
    <Card title="Prompts">
      <ul className="divide-y divide-slate-200 dark:divide-slate-800" data-testid="prompt-list">
        {list.data?.prompts.map((p) => (
          <li key={p.id} className="py-2">
            <button type="button" className="flex w-full items-start justify-between gap-3 text-left text-sm" aria-expanded={open === p.id} onClick={() => setOpen(open === p.id ? null : p.id)}>
              <span className="min-w-0 flex-1">
                <span className="block truncate">{promptText(p)}</span>
                {p.generationError ? <span className="block text-xs text-red-700 dark:text-red-400">generation skipped: {p.generationError}</span> : null}
              </span>
              <span className="flex shrink-0 gap-1">
                {p.generationError ? <Badge tone="red">skipped</Badge> : null}
                {p.gold ? <Badge tone="amber">gold</Badge> : null}
                <Badge>{p.completionCount} completions</Badge>
                <Badge tone="indigo">{p.rankingCount} rankings</Badge>
              </span>
            </button>
            {open === p.id ? <PromptDetails projectId={projectId} promptId={p.id} /> : null}
          </li>
        ))}
      </ul>
      <div className="mt-3 flex gap-2">
        <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)}>Previous</Button>
        <Button variant="secondary" disabled={(list.data?.prompts.length ?? 0) < PAGE} onClick={() => setPage(page + 1)}>Next</Button>
      </div>
    </Card>
  );
}

function PromptDetails({ projectId, promptId }: { projectId: string; promptId: string }) {
  const qc = useQueryClient();
  const detail = useQuery({ queryKey: ["prompt", promptId], queryFn: () => apiFetch<PromptDetail>(`/api/prompts/${promptId}`) });
  const gold = useMutation({
    mutationFn: (body: Gold | null) => apiFetch(`/api/prompts/${promptId}/gold`, { method: "PUT", body }),
    onSettled: () => {
      void qc.invalidateQueries({ queryKey: ["prompt", promptId] });
      void qc.invalidateQueries({ queryKey: queryKeys.prompts(projectId) });
      void qc.invalidateQueries({ queryKey: queryKeys.projectStats(projectId) });
    },
  });
  if (!detail.data) return <p className="p-2 text-sm">Loading…</p>;
  const current = detail.data.prompt.gold ?? {};
  const options = detail.data.completions.map((c, i) => <option key={c.id} value={c.id}>{`#${i + 1} (${c.presetName ?? "?"})`}</option>);
  const set = (key: "best" | "worst", value: string) => {
    const next = { ...current, [key]: value || undefined };
    gold.mutate(next.best || next.worst ? next : null);
  };
  const setRationale = (rationale: string) => {
    if (current.best || current.worst) gold.mutate({ ...current, rationale: rationale.trim() || undefined });
  };
  return (
    <div className="mt-2 space-y-2 rounded-md bg-slate-50 p-3 text-sm dark:bg-slate-800/50">
      <ol className="space-y-2">
        {detail.data.completions.map((c, i) => (
          <li key={c.id}>
            <span className="font-medium">#{i + 1}</span>{" "}
            {c.verdict ? <Badge tone={c.verdict.correct ? "green" : "red"}>{c.verdict.correct ? "verifier: correct" : "verifier: incorrect"}</Badge> : null} <span className="text-xs text-slate-600 dark:text-slate-400">{c.presetName} · seed {c.seed} · {c.tokenCount} tokens · {c.finishReason}</span>
            <p className="whitespace-pre-wrap">{c.text}</p>
          </li>
        ))}
      </ol>
      <div className="flex flex-wrap items-center gap-3">
        <label className="flex items-center gap-2">Gold best
          <Select value={current.best ?? ""} onChange={(e) => set("best", e.target.value)} className="w-auto"><option value="">none</option>{options}</Select>
        </label>
        <label className="flex items-center gap-2">Gold worst
          <Select value={current.worst ?? ""} onChange={(e) => set("worst", e.target.value)} className="w-auto"><option value="">none</option>{options}</Select>
        </label>
        {gold.error ? <span role="alert" className="text-red-700">{gold.error.message}</span> : null}
      </div>
      {current.best || current.worst ? <GoldRationale key={current.rationale ?? ""} initial={current.rationale ?? ""} saving={gold.isPending} onSave={setRationale} /> : null}
    </div>
  );
}

/** Why the gold answer is right: annotators who miss this gold prompt see it with the expected order. */
function GoldRationale({ initial, saving, onSave }: { initial: string; saving: boolean; onSave: (text: string) => void }) {
  const [text, setText] = useState(initial);
  return (
    <div className="space-y-1">
      <label htmlFor="gold-rationale" className="block font-medium">Why (shown to annotators who miss it)</label>
      <Textarea id="gold-rationale" rows={2} maxLength={2000} value={text} onChange={(e) => setText(e.target.value)} />
      <Button variant="secondary" disabled={saving || text === initial} onClick={() => onSave(text)}>Save rationale</Button>
    </div>
  );
}
