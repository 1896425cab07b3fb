"use client";

import { useRef, useState, type FormEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Input } from "@/components/ui/field";

/** Reason codes sent to `onSkip`; "other" is sent as `other: <the annotator's text>`. */
export const SKIP_REASONS = [
  { value: "cant_judge", label: "I can't judge this (outside my expertise)" },
  { value: "prompt_unclear", label: "The prompt is unclear" },
  { value: "completions_broken", label: "The responses are broken (empty, cut off, garbled)" },
  { value: "other", label: "Other" },
] as const;

export const dialogClass =
  "m-auto w-[min(92vw,30rem)] rounded-lg bg-white p-5 text-slate-900 shadow-xl ring-1 ring-slate-200 backdrop:bg-slate-950/50 dark:bg-slate-900 dark:text-slate-100 dark:ring-slate-700";

/** The "Skip" button and its reason dialog (native <dialog>: focus trap and Escape for free). */
export function SkipDialog({ onSkip, disabled }: { onSkip: (reason: string) => Promise<void>; disabled?: boolean }) {
  const ref = useRef<HTMLDialogElement>(null);
  const [reason, setReason] = useState<string>("");
  const [other, setOther] = useState("");
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const inFlight = useRef(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (inFlight.current) return;
    if (!reason) return setError("Choose a reason.");
    if (reason === "other" && !other.trim()) return setError("Describe why you are skipping.");
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      await onSkip(reason === "other" ? `other: ${other.trim()}` : reason);
      ref.current?.close();
    } catch (err) {
      setError(err instanceof Error ? err.message : "Skipping failed. Try again.");
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  }

  return (
    <>
      <Button variant="ghost" disabled={disabled} onClick={() => ref.current?.showModal()}>
        Skip
      </Button>
      <dialog ref={ref} aria-labelledby="skip-dialog-title" className={dialogClass}>
        <form onSubmit={submit} className="space-y-4">
          <h2 id="skip-dialog-title" className="text-lg font-semibold">Skip this task?</h2>
          <fieldset>
            <legend className="text-sm font-medium">Reason</legend>
            <div className="mt-2 space-y-2">
              {SKIP_REASONS.map((r) => (
                <label key={r.value} className="flex items-start gap-2 text-sm">
                  <input type="radio" name="skip-reason" value={r.value} checked={reason === r.value} onChange={() => setReason(r.value)} className="mt-0.5 accent-indigo-600" />
                  {r.label}
                </label>
              ))}
            </div>
          </fieldset>
          {reason === "other" ? (
            <Field label="Describe the problem" htmlFor="skip-other">
              <Input id="skip-other" value={other} maxLength={500} onChange={(e) => setOther(e.target.value)} />
            </Field>
          ) : null}
          {error ? <p role="alert" className="text-sm text-red-700 dark:text-red-400">{error}</p> : null}
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={() => ref.current?.close()}>Cancel</Button>
            <Button type="submit" disabled={pending} aria-busy={pending}>
              {pending ? "Skipping…" : "Confirm"}
            </Button>
          </div>
        </form>
      </dialog>
    </>
  );
}
