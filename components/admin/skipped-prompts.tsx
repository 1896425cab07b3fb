"use client";

import { useQuery } from "@tanstack/react-query";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";

export interface SkippedPrompt {
  id: string;
  text: string | null;
  messages: { role: string; content: string }[] | null;
  generationError: string;
  generationErrorAt: string;
}

/** The prompts generation skipped under the project's current settings (the first 50) and how many there are; polls as the project stats do. */
export function useSkippedPrompts(projectId: string, jobOpen: boolean) {
  return useQuery({
    queryKey: queryKeys.skippedPrompts(projectId),
    queryFn: () => apiFetch<{ prompts: SkippedPrompt[]; total: number }>(`/api/projects/${projectId}/generate/skipped`),
    refetchInterval: jobOpen ? 2000 : 5000,
  });
}

const shown = (p: SkippedPrompt) => p.text ?? (p.messages ?? []).map((m) => `${m.role}: ${m.content}`).join(" · ");

/** Each skipped prompt with the reason generation gave up on it. */
export function SkippedPromptList({ prompts, total }: { prompts: SkippedPrompt[]; total: number }) {
  return (
    <details className="mt-3 text-sm" data-testid="skipped-prompts">
      <summary className="cursor-pointer text-amber-800 dark:text-amber-300">
        {total} prompt{total === 1 ? "" : "s"} skipped: generation failed on {total === 1 ? "it" : "them"} alone, the other prompts went on
      </summary>
      <ul className="mt-2 space-y-2">
        {prompts.map((p) => (
          <li key={p.id}>
            <p className="truncate">{shown(p)}</p>
            <p className="text-xs text-red-700 dark:text-red-400">{p.generationError}</p>
          </li>
        ))}
      </ul>
      {total > prompts.length ? <p className="mt-2 text-xs text-slate-600 dark:text-slate-400">and {total - prompts.length} more (see Prompts)</p> : null}
    </details>
  );
}
