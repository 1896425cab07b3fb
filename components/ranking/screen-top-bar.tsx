"use client";

import { Button } from "@/components/ui/button";
import type { RankScale } from "@/lib/ranking/rubric";
import { LeaseTimer } from "./lease-timer";

/** Screen-reader texts (card hint, live region), the lease countdown (none when amending) and the shortcuts button. */
export function ScreenTopBar({ count, scale, message, leaseExpiresAt, onHelp }: { count: number; scale: RankScale; message: { text: string; n: number }; leaseExpiresAt: string | null; onHelp: () => void }) {
  return (
    <>
      <p id="ranking-card-help" className="sr-only">
        {scale === "best"
          ? "Press 1 to mark this response as the best, 0 to unmark it, j or k for the next or previous response, question mark for all shortcuts."
          : `Press 1 to ${Math.min(9, count)} to rank this response, t to tie it with the one above, Alt plus arrow keys to move it, j or k for the next or previous response, question mark for all shortcuts.`}
      </p>
      <div aria-live="polite" aria-atomic="true" className="sr-only">
        {/* Re-keyed so the same message twice ("cannot move further") is announced twice. */}
        <span key={message.n}>{message.text}</span>
      </div>
      <div className="flex flex-wrap items-center justify-between gap-2">
        {leaseExpiresAt ? <LeaseTimer expiresAt={leaseExpiresAt} /> : <span />}
        <Button variant="ghost" onClick={onHelp} aria-keyshortcuts="?">
          Keyboard shortcuts <kbd className="rounded border border-slate-300 px-1 font-mono text-xs dark:border-slate-600">?</kbd>
        </Button>
      </div>
    </>
  );
}
