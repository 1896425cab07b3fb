"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { apiFetch } from "@/components/data/api";

/** Lets an admin show annotators the reward model's scores after they submit (for training annotators). */
export function RevealToggle({ projectId, initial }: { projectId: string; initial: boolean }) {
  const [on, setOn] = useState(initial);
  const save = useMutation({
    mutationFn: (value: boolean) => apiFetch(`/api/projects/${projectId}`, { method: "PATCH", body: { revealScores: value } }),
    onSuccess: (_, value) => setOn(value),
  });
  return (
    <label className="flex items-center gap-2 text-sm">
      <input type="checkbox" checked={on} disabled={save.isPending} onChange={(e) => save.mutate(e.target.checked)} />
      Show annotators the reward model&apos;s scores after they submit
      {save.error ? <span role="alert" className="text-red-700">{save.error.message}</span> : null}
    </label>
  );
}
