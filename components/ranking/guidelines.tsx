"use client";

import type { ReactNode } from "react";
import { SafeMarkdown } from "./markdown";

/** Project guidelines, collapsed by default: annotators read them once, then glance back. */
export function Guidelines({ markdown }: { markdown: string }) {
  if (!markdown.trim()) return null;
  return (
    <Disclosure title="Guidelines">
      <SafeMarkdown text={markdown} />
    </Disclosure>
  );
}

export function Disclosure({ title, children }: { title: string; children: ReactNode }) {
  return (
    <details className="group rounded-lg bg-white ring-1 ring-slate-200 dark:bg-slate-900 dark:ring-slate-800">
      <summary className="flex cursor-pointer list-none items-center justify-between gap-2 rounded-lg px-4 py-3 text-sm font-semibold text-slate-900 hover:bg-slate-50 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 dark:text-slate-100 dark:hover:bg-slate-800 [&::-webkit-details-marker]:hidden">
        {title}
        <span aria-hidden className="text-slate-700 transition group-open:rotate-180 dark:text-slate-300">▾</span>
      </summary>
      {/* Focusable so keyboard users can scroll long guidelines that contain no links. */}
      <div tabIndex={0} role="region" aria-label={title} className="max-h-[60vh] overflow-y-auto rounded-b-lg focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-indigo-600 border-t border-slate-200 px-4 py-3 dark:border-slate-800">
        {children}
      </div>
    </details>
  );
}
