"use client";

import { forwardRef } from "react";
import { shortcutHelp } from "@/lib/ranking/keys";
import type { RankScale } from "@/lib/ranking/rubric";
import { Button } from "@/components/ui/button";
import { dialogClass } from "./skip-dialog";

export function ShortcutTable({ scale }: { scale: RankScale }) {
  return (
    <dl className="grid grid-cols-[auto_1fr] gap-x-4 gap-y-1.5 text-sm">
      {shortcutHelp(scale).map((s) => (
        <div key={s.keys} className="contents">
          <dt>
            <kbd className="whitespace-nowrap rounded border border-slate-300 bg-slate-50 px-1.5 py-0.5 font-mono text-xs text-slate-900 dark:border-slate-600 dark:bg-slate-800 dark:text-slate-100">{s.keys}</kbd>
          </dt>
          <dd className="text-slate-800 dark:text-slate-200">{s.what}</dd>
        </div>
      ))}
    </dl>
  );
}

/** Opened with "?" or the "Keyboard shortcuts" button; the parent holds the ref and calls showModal(). */
export const ShortcutHelpDialog = forwardRef<HTMLDialogElement, { scale: RankScale }>(function ShortcutHelpDialog({ scale }, ref) {
  return (
    <dialog ref={ref} aria-labelledby="shortcut-help-title" className={dialogClass}>
      <h2 id="shortcut-help-title" className="mb-3 text-lg font-semibold">Keyboard shortcuts</h2>
      <ShortcutTable scale={scale} />
      <form method="dialog" className="mt-4 flex justify-end">
        <Button type="submit" variant="secondary">Close</Button>
      </form>
    </dialog>
  );
});
