"use client";

import { useRef, useState } from "react";
import { toSubmission, type Draft, type SubmitContext } from "@/lib/ranking/draft";
import { isCompleteFor } from "@/lib/ranking/scale";
import type { RankingSubmission } from "@/lib/ranking/types";

export type Outcome = "submitted" | "skipped" | null;

interface Options {
  draft: Draft;
  /** The rubric, identical groups and server order the submission is built with. */
  context: SubmitContext;
  ready: boolean;
  onSubmit: (s: RankingSubmission) => Promise<void>;
  /** Absent when the task cannot be skipped (amending); `skip` is then undefined too. */
  onSkip?: (reason: string) => Promise<void>;
  /** Forget the stored draft once the server has accepted the submission or the skip. */
  clear: () => void;
  announce: (text: string) => void;
}

export function useSubmit({ draft, context, ready, onSubmit, onSkip, clear, announce }: Options) {
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const inFlight = useRef(false); // state updates are async; the ref makes a double click a no-op

  async function submit() {
    if (inFlight.current || !ready || outcome) return;
    const { ranking } = draft;
    if (!isCompleteFor(ranking, context.rubric.scale)) {
      announce(context.rubric.scale === "best" ? "Pick the best response before submitting." : `Rank every response before submitting (${ranking.shown.length - ranking.unranked.length} of ${ranking.shown.length} ranked).`);
      return;
    }
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      // The same submissionKey on every retry lets the server treat a resend as the same write.
      await onSubmit(toSubmission(draft, Date.now(), context));
      clear();
      setOutcome("submitted");
      announce("Ranking submitted.");
    } catch (err) {
      setError(err instanceof Error && err.message ? err.message : "Submitting failed.");
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  /** Errors propagate to the skip dialog, which shows them; the draft is kept until it succeeds. */
  const skip = onSkip
    ? async (reason: string) => {
        await onSkip(reason);
        clear();
        setOutcome("skipped");
        announce("Task skipped.");
      }
    : undefined;

  return { pending, error, outcome, submit, skip };
}
