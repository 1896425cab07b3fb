import type { QueueStatus } from "@/lib/queue/types";

/** One line above the queue: the annotator's quota and, until they pass it, their qualification batch. */
export function QueueStatusLine({ status }: { status: QueueStatus }) {
  const q = status.qualification;
  const parts: string[] = [];
  if (q?.status === "failed") parts.push(`You did not pass this project's qualification: ${q.correct} of ${q.done} right, ${q.needed} needed. An admin can let you try again.`);
  if (q?.status === "pending") parts.push(`Qualification: ${q.done} of ${q.size} done — get ${q.needed} right to start real work.`);
  if (status.quota !== null) parts.push(`Your quota here: ${status.submitted} of ${status.quota} rankings.`);
  if (parts.length === 0) return null;
  return (
    <p className="mb-4 rounded-md bg-indigo-50 p-3 text-sm text-indigo-900 dark:bg-indigo-950/40 dark:text-indigo-200" data-testid="queue-status">
      {parts.join(" ")}
    </p>
  );
}
