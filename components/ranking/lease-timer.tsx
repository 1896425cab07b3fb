"use client";

import { useEffect, useState } from "react";

/**
 * Minutes left on the lease. Rendered only after mount: the server's clock and the first client
 * render would otherwise disagree and break hydration.
 */
export function LeaseTimer({ expiresAt }: { expiresAt: string }) {
  const [now, setNow] = useState<number | null>(null);
  useEffect(() => {
    const tick = () => setNow(Date.now());
    tick();
    const timer = setInterval(tick, 15_000);
    return () => clearInterval(timer);
  }, []);
  const end = Date.parse(expiresAt);
  if (now === null || Number.isNaN(end)) return null;
  const minutes = Math.floor((end - now) / 60_000);
  if (minutes < 0) {
    return (
      <p className="text-sm font-medium text-red-700 dark:text-red-400">
        Your hold on this task has expired; submitting may fail if it was reassigned.
      </p>
    );
  }
  const low = minutes < 5;
  return (
    <p className={`text-sm ${low ? "font-medium text-amber-800 dark:text-amber-300" : "text-slate-700 dark:text-slate-300"}`}>
      Task reserved for you for {minutes < 1 ? "less than a minute" : `${minutes} more minute${minutes === 1 ? "" : "s"}`}.
    </p>
  );
}
