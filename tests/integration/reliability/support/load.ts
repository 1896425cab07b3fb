/**
 * Simulated annotators: each loops get-task → submit a random ranking, with
 * a fresh submission key per ranking that is kept when the answer is lost,
 * so a retry after a crash is idempotent — as the real ranking screen does.
 * Bounded by a submit count per annotator and a deadline.
 */
import { NoAnswerError, type StudioClient } from "./http";

interface Task {
  assignmentId: string;
  completions: { id: string }[];
}

export interface Ack {
  submissionKey: string;
  assignmentId: string;
}

/** A submission whose answer never came (the server died): retried later with the same key. */
export interface Pending {
  client: StudioClient;
  assignmentId: string;
  body: Record<string, unknown>;
}

export interface LoadResult {
  acked: Ack[];
  pending: Pending[];
  submitMs: number[];
  /** "submit 200", "next 503", "submit no-answer"… → count */
  outcomes: Record<string, number>;
  elapsedMs: number;
}

export interface LoadOptions {
  annotators: StudioClient[];
  projectId: string;
  submitsPerAnnotator: number;
  deadlineMs: number;
  /** Called after each acknowledged ranking (the fault tests kill the server from here). */
  onAck?: (ackedSoFar: readonly Ack[]) => void;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function randomRanking(task: Task): Record<string, unknown> {
  const ids = task.completions.map((c) => c.id);
  const order = [...ids].sort(() => Math.random() - 0.5);
  return { ranks: Object.fromEntries(order.map((id, i) => [id, i + 1])), flags: {}, ratings: {}, rationale: "load test", timeSpentMs: 1234, submissionKey: crypto.randomUUID() };
}

export async function runAnnotators(opts: LoadOptions): Promise<LoadResult> {
  const result: LoadResult = { acked: [], pending: [], submitMs: [], outcomes: {}, elapsedMs: 0 };
  const count = (k: string) => (result.outcomes[k] = (result.outcomes[k] ?? 0) + 1);
  const started = performance.now();
  const deadline = Date.now() + opts.deadlineMs;
  // How many annotators hold a task right now: an empty queue is final only when nobody does.
  let holding = 0;

  const annotator = async (client: StudioClient) => {
    let submits = 0;
    while (submits < opts.submitsPerAnnotator && Date.now() < deadline) {
      let next;
      try {
        next = await client.request<{ task: Task | null }>("POST", `/api/projects/${opts.projectId}/tasks/next`);
      } catch (err) {
        if (err instanceof NoAnswerError) return count("next no-answer");
        throw err;
      }
      count(`next ${next.status}`);
      if (next.status !== 200) return;
      const task = next.body.task;
      if (!task) {
        if (holding === 0) return;
        await sleep(100);
        continue;
      }
      holding++;
      try {
        const body = randomRanking(task);
        let res;
        try {
          res = await client.request<{ duplicate: boolean }>("POST", `/api/assignments/${task.assignmentId}/ranking`, body);
        } catch (err) {
          if (!(err instanceof NoAnswerError)) throw err;
          count("submit no-answer");
          result.pending.push({ client, assignmentId: task.assignmentId, body });
          return;
        }
        count(`submit ${res.status}`);
        if (res.status !== 200) return;
        result.submitMs.push(res.ms);
        result.acked.push({ submissionKey: body.submissionKey as string, assignmentId: task.assignmentId });
        submits++;
        opts.onAck?.(result.acked);
      } finally {
        holding--;
      }
    }
  };

  await Promise.all(opts.annotators.map(annotator));
  result.elapsedMs = performance.now() - started;
  return result;
}

/** Re-sends submissions whose answer was lost, same key, until each is answered or `deadlineMs` passes. */
export async function retryPending(pending: Pending[], deadlineMs: number): Promise<{ acked: Ack[]; statuses: number[] }> {
  const acked: Ack[] = [];
  const statuses: number[] = [];
  const deadline = Date.now() + deadlineMs;
  for (const p of pending) {
    for (;;) {
      try {
        const res = await p.client.request("POST", `/api/assignments/${p.assignmentId}/ranking`, p.body);
        statuses.push(res.status);
        if (res.status === 200) acked.push({ submissionKey: p.body.submissionKey as string, assignmentId: p.assignmentId });
        break;
      } catch (err) {
        if (!(err instanceof NoAnswerError) || Date.now() > deadline) throw err;
        await sleep(250);
      }
    }
  }
  return { acked, statuses };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export function summarize(r: LoadResult): string {
  const s = [...r.submitMs].sort((a, b) => a - b);
  const f = (x: number) => x.toFixed(1);
  return [
    `acknowledged rankings: ${r.acked.length} in ${(r.elapsedMs / 1000).toFixed(1)} s (${f(r.acked.length / (r.elapsedMs / 1000))} submits/s)`,
    `submit latency ms: p50 ${f(percentile(s, 50))}  p95 ${f(percentile(s, 95))}  p99 ${f(percentile(s, 99))}  max ${f(s.at(-1) ?? NaN)}`,
    `outcomes: ${JSON.stringify(r.outcomes)}`,
  ].join("\n");
}
