"use client";

import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { responseLabel } from "@/lib/ranking/announce";
import type { GoldFeedback as Feedback, QualificationProgress } from "@/lib/queue/types";

interface Props {
  feedback: Feedback;
  /** The completion ids in the order the annotator saw them (for "Response A, B, …"). */
  shown: string[];
  /** What the annotator submitted: completion id → rank. */
  ranks: Record<string, number>;
  onNext: () => void;
}

function qualificationLine(q: QualificationProgress): string {
  if (q.status === "passed") return `Qualification passed: ${q.correct} of ${q.done} right. Real work starts with the next task.`;
  if (q.status === "failed") return `Qualification not passed: ${q.correct} of ${q.done} right, ${q.needed} needed. An admin can let you try again.`;
  return `Qualification: ${q.correct} of ${q.done} right so far; ${q.needed} of ${q.size} needed.`;
}

/**
 * Shown after a missed gold prompt, and after each qualification item: the expected order (the
 * known best first, the known worst last), where the annotator put those, and the admin's rationale.
 */
export function GoldFeedback({ feedback, shown, ranks, onNext }: Props) {
  const label = (id: string) => responseLabel(shown, id);
  const { best, worst } = feedback.expected;
  const title = feedback.miss ? "Not quite: this prompt has a known answer" : "Right: this matches the known answer";
  return (
    <Card title={title}>
      <div className="space-y-3 text-sm" data-testid="gold-feedback">
        <p>Expected order:</p>
        <ol className="list-decimal space-y-1 pl-6" data-testid="gold-expected">
          {best ? <li>{label(best)} — the best</li> : null}
          {shown.filter((id) => id !== best && id !== worst).length > 0 ? <li className="text-slate-700 dark:text-slate-300">the others, in any order</li> : null}
          {worst ? <li>{label(worst)} — the worst</li> : null}
        </ol>
        <p data-testid="gold-yours">
          You ranked {[best, worst].filter((id): id is string => Boolean(id)).map((id) => `${label(id)} at ${ranks[id] ?? "?"}`).join(" and ")}.
        </p>
        {feedback.rationale ? (
          <blockquote className="border-l-4 border-amber-400 pl-3 whitespace-pre-wrap" data-testid="gold-rationale">{feedback.rationale}</blockquote>
        ) : null}
        {feedback.qualification ? <p role="status" data-testid="qualification-result">{qualificationLine(feedback.qualification)}</p> : null}
        {/* Keyboard flow: focus lands here, so Enter moves on as it did on the ranking screen. */}
        <Button autoFocus onClick={onNext}>Next task</Button>
      </div>
    </Card>
  );
}
