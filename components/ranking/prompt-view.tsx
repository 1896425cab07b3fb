"use client";

import { RANK_SCALE_LABELS, type Rubric } from "@/lib/ranking/rubric";
import type { RankingTask } from "@/lib/ranking/types";
import { Disclosure, Guidelines } from "./guidelines";
import { SafeMarkdown } from "./markdown";
import { ShortcutTable } from "./shortcut-help";

const bubble: Record<string, string> = {
  user: "ml-auto bg-indigo-50 ring-indigo-200 dark:bg-indigo-950 dark:ring-indigo-800",
  assistant: "mr-auto bg-white ring-slate-200 dark:bg-slate-900 dark:ring-slate-700",
};
const systemBubble = "mx-auto w-full bg-amber-50 ring-amber-200 dark:bg-amber-950 dark:ring-amber-800";

function roleName(role: string): string {
  return role.length > 0 ? role[0].toUpperCase() + role.slice(1) : "Message";
}

/** The prompt: plain text, or the conversation so far as chat bubbles (user right, others left). */
export function PromptView({ prompt }: { prompt: RankingTask["prompt"] }) {
  const messages = prompt.messages ?? [];
  return (
    <section aria-labelledby="prompt-heading" className="rounded-lg bg-slate-100 p-4 ring-1 ring-slate-200 dark:bg-slate-900/60 dark:ring-slate-800">
      <h2 id="prompt-heading" className="text-base font-semibold text-slate-900 dark:text-slate-100">
        {messages.length > 0 ? "Conversation" : "Prompt"}
      </h2>
      {messages.length > 0 ? (
        <ol className="mt-3 flex flex-col gap-3">
          {messages.map((m, i) => (
            <li key={i} className={`max-w-[92%] min-w-0 rounded-2xl px-4 py-2 ring-1 sm:max-w-[85%] ${m.role === "system" ? systemBubble : (bubble[m.role] ?? bubble.assistant)}`}>
              <p className="mb-1 text-xs font-semibold uppercase tracking-wide text-slate-700 dark:text-slate-300">{roleName(m.role)}</p>
              <SafeMarkdown text={m.content} />
            </li>
          ))}
        </ol>
      ) : null}
      {prompt.text ? <SafeMarkdown text={prompt.text} className="mt-3" /> : null}
      {!prompt.text && messages.length === 0 ? <p className="mt-3 text-sm text-slate-700 dark:text-slate-300">(This task has no prompt text.)</p> : null}
    </section>
  );
}

/** What the project asks for, with the admin's descriptions of each aspect and flag. */
function RubricSummary({ rubric }: { rubric: Rubric }) {
  const items = [...rubric.aspects.map((a) => ({ ...a, kind: "Rate" })), ...rubric.flags.filter((f) => f.description).map((f) => ({ ...f, kind: "Flag" }))];
  if (items.length === 0 && rubric.scale === "full") return null;
  return (
    <Disclosure title="Rubric">
      <p className="text-sm">{RANK_SCALE_LABELS[rubric.scale]}.</p>
      {items.length > 0 ? (
        <dl className="mt-2 space-y-1.5 text-sm" data-testid="rubric-summary">
          {items.map((i) => (
            <div key={`${i.kind}-${i.id}`}>
              <dt className="font-medium">{i.kind === "Rate" ? `${i.label} (1–7)` : `Flag: ${i.label}`}</dt>
              {i.description ? <dd className="text-slate-700 dark:text-slate-300">{i.description}</dd> : null}
            </div>
          ))}
        </dl>
      ) : null}
    </Disclosure>
  );
}

/**
 * Left column on wide screens: guidelines, prompt and the shortcut legend. It scrolls on its own
 * (and is focusable, so it can be scrolled from the keyboard) while staying beside the responses.
 */
export function TaskContext({ task }: { task: RankingTask }) {
  return (
    <div role="region" aria-label="Prompt and guidelines" tabIndex={0} className="min-w-0 space-y-4 rounded-lg lg:sticky lg:top-4 lg:max-h-[calc(100vh-2rem)] lg:self-start lg:overflow-y-auto">
      <Guidelines markdown={task.guidelines} />
      <RubricSummary rubric={task.rubric} />
      <PromptView prompt={task.prompt} />
      <div className="hidden lg:block">
        <Disclosure title="Keyboard shortcuts">
          <ShortcutTable scale={task.rubric.scale} />
        </Disclosure>
      </div>
    </div>
  );
}
