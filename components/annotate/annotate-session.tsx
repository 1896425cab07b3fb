"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { RankingScreen, type RankingSubmission, type RankingTask } from "@/components/ranking/ranking-screen";
import { Button } from "@/components/ui/button";
import { Card, PageHeader } from "@/components/ui/card";
import { apiFetch } from "@/components/data/api";
import { queryKeys } from "@/components/data/query-keys";
import type { GoldFeedback as Feedback, QueueStatus } from "@/lib/queue/types";
import { GoldFeedback } from "./gold-feedback";
import { QueueStatusLine } from "./queue-status";

type Task = RankingTask & { projectName: string };
type Reveal = { version: number; scores: Record<string, number> };
/** What replaces the ranking screen after a submit: gold feedback, or the reward model's scores. */
type After = { task: Task; ranks: Record<string, number> } & ({ feedback: Feedback } | { reveal: Reveal });

/** The annotator's loop: Start labeling → rank → next, with their own progress on top. */
export function AnnotateSession({ projectId, projectName, initialQueue }: { projectId: string; projectName: string; initialQueue: QueueStatus }) {
  const qc = useQueryClient();
  const [task, setTask] = useState<Task | null>(null);
  const [queue, setQueue] = useState(initialQueue);
  const [empty, setEmpty] = useState(false);
  const [after, setAfter] = useState<After | null>(null);
  const progress = useQuery({ queryKey: queryKeys.myProgress, queryFn: () => apiFetch<{ today: number; total: number }>("/api/me/progress") });
  const next = useMutation({
    mutationFn: () => apiFetch<{ task: Task | null; queue: QueueStatus }>(`/api/projects/${projectId}/tasks/next`, { method: "POST" }),
    onSuccess: ({ task, queue }) => {
      setTask(task);
      setQueue(queue);
      setEmpty(!task);
    },
  });
  async function submit(s: RankingSubmission) {
    if (!task) return;
    const { feedback } = await apiFetch<{ feedback: Feedback | null }>(`/api/assignments/${task.assignmentId}/ranking`, { body: s });
    void qc.invalidateQueries({ queryKey: queryKeys.myProgress });
    void qc.invalidateQueries({ queryKey: queryKeys.myRankings(projectId) });
    if (feedback) return showAfter({ task, ranks: s.ranks, feedback });
    // Only after submitting, and only when an admin turned it on for training annotators.
    const { reveal } = await apiFetch<{ reveal: Reveal | null }>(`/api/assignments/${task.assignmentId}/reveal`).catch(() => ({ reveal: null }));
    if (reveal) return showAfter({ task, ranks: s.ranks, reveal });
    next.mutate();
  }
  function showAfter(a: After) {
    setAfter(a);
    setTask(null);
  }
  async function skip(reason: string) {
    if (!task) return;
    await apiFetch(`/api/assignments/${task.assignmentId}/skip`, { body: { reason } });
    next.mutate();
  }
  const onNext = () => {
    setAfter(null);
    next.mutate();
  };
  return (
    <>
      <PageHeader
        title={projectName}
        description={progress.data ? <span data-testid="my-progress">You ranked {progress.data.today} today, {progress.data.total} in total.</span> : " "}
      />
      <QueueStatusLine status={queue} />
      {after ? (
        "feedback" in after ? (
          <GoldFeedback feedback={after.feedback} shown={after.task.completions.map((c) => c.id)} ranks={after.ranks} onNext={onNext} />
        ) : (
          <ScoreReveal task={after.task} reveal={after.reveal} onNext={onNext} />
        )
      ) : task ? (
        <RankingScreen task={task} onSubmit={submit} onSkip={skip} submitting={next.isPending} />
      ) : (
        <Card>
          {empty ? (
            <p className="mb-4 text-sm" role="status">
              {queue.quotaReached ? `You reached your quota of ${queue.quota} rankings in this project. Thank you!` : "Nothing left to rank in this project right now. Thank you!"}
            </p>
          ) : null}
          {next.error ? <p role="alert" className="mb-4 text-sm text-red-700">{next.error.message}</p> : null}
          <Button onClick={() => next.mutate()} disabled={next.isPending}>{empty ? "Check again" : "Start labeling"}</Button>
        </Card>
      )}
    </>
  );
}

function ScoreReveal({ task, reveal, onNext }: { task: Task; reveal: Reveal; onNext: () => void }) {
  const letter = (i: number) => String.fromCharCode(65 + i);
  return (
    <Card title={`Submitted. What reward model v${reveal.version} thinks of these responses`}>
      <ol className="space-y-2 text-sm" data-testid="score-reveal">
        {task.completions.map((c, i) => (
          <li key={c.id} className="flex justify-between gap-4">
            <span className="min-w-0 truncate">Response {letter(i)}: {c.text}</span>
            <span className="shrink-0 font-mono">{reveal.scores[c.id] === undefined ? "—" : reveal.scores[c.id].toFixed(2)}</span>
          </li>
        ))}
      </ol>
      <Button className="mt-4" onClick={onNext}>Next task</Button>
    </Card>
  );
}
