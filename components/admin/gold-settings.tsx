"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Card } from "@/components/ui/card";
import { Field, Input } from "@/components/ui/field";
import { apiFetch } from "@/components/data/api";

interface GoldRules { goldRate: number; qualificationSize: number; qualificationPassMark: number }

const pct = (x: number) => String(Math.round(x * 1000) / 10);

/** The project's gold rules: how often gold prompts are mixed into each annotator's queue, and the qualification batch. */
export function GoldSettings({ projectId, initial }: { projectId: string; initial: GoldRules }) {
  const [form, setForm] = useState({ rate: pct(initial.goldRate), size: String(initial.qualificationSize), mark: pct(initial.qualificationPassMark) });
  const save = useMutation({
    mutationFn: (body: GoldRules) => apiFetch(`/api/projects/${projectId}`, { method: "PATCH", body }),
  });
  const set = (key: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [key]: e.target.value }));
  function onSubmit(e: FormEvent) {
    e.preventDefault();
    save.mutate({ goldRate: Number(form.rate) / 100, qualificationSize: Number(form.size), qualificationPassMark: Number(form.mark) / 100 });
  }
  return (
    <Card title="Gold prompts and qualification">
      <form onSubmit={onSubmit} className="grid gap-3 sm:grid-cols-3">
        <Field label="Gold rate (%)" htmlFor="gold-rate" hint="Share of each annotator's tasks that are gold prompts (0–50); 0 keeps gold prompts in the ordinary queue">
          <Input id="gold-rate" type="number" min={0} max={50} step="any" value={form.rate} onChange={set("rate")} />
        </Field>
        <Field label="Qualification batch (gold prompts)" htmlFor="qualification-size" hint="A new member ranks these first; 0 = no qualification">
          <Input id="qualification-size" type="number" min={0} max={50} value={form.size} onChange={set("size")} />
        </Field>
        <Field label="Pass mark (%)" htmlFor="qualification-mark" hint="Share of the batch that must be right">
          <Input id="qualification-mark" type="number" min={1} max={100} step="any" value={form.mark} onChange={set("mark")} />
        </Field>
        <div className="flex items-center gap-3 sm:col-span-3">
          <Button type="submit" disabled={save.isPending}>Save gold rules</Button>
          {save.isSuccess ? <span role="status" className="text-sm text-green-700 dark:text-green-400">Saved.</span> : null}
          {save.error ? <span role="alert" className="text-sm text-red-600">{save.error.message}</span> : null}
        </div>
      </form>
    </Card>
  );
}
