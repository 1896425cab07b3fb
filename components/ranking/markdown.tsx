"use client";

import { memo, type ReactNode } from "react";
import Markdown, { type Components } from "react-markdown";
import remarkGfm from "remark-gfm";

/*
 * Completions and prompts are untrusted model/user text. react-markdown without rehype-raw turns
 * any raw HTML into plain text (never executed), and its default urlTransform drops javascript:
 * links. Images are shown as links instead of being fetched: a completion must not be able to
 * make the annotator's browser call an arbitrary server, nor blow up the layout. Headings become
 * bold paragraphs so untrusted text cannot break the page's heading outline.
 */
const heading = ({ children }: { children?: ReactNode }) => <p className="mt-3 font-semibold">{children}</p>;

const components: Components = {
  h1: heading,
  h2: heading,
  h3: heading,
  h4: heading,
  h5: heading,
  h6: heading,
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noopener noreferrer nofollow" className="text-indigo-700 underline dark:text-indigo-300">
      {children}
    </a>
  ),
  img: ({ src, alt }) => (
    <span className="text-slate-700 dark:text-slate-300">
      [image{alt ? `: ${alt}` : ""}
      {typeof src === "string" && src ? ` – ${src}` : ""}]
    </span>
  ),
  pre: ({ children }) => (
    // Wrapped rather than scrolled sideways: an annotator must never miss text hidden off-screen.
    <pre className="my-2 max-w-full whitespace-pre-wrap break-words rounded-md bg-slate-100 p-3 text-[13px] leading-snug text-slate-900 dark:bg-slate-950 dark:text-slate-100">
      {children}
    </pre>
  ),
  table: ({ children }) => (
    // Wide tables scroll; the wrapper is focusable so keyboard users can scroll it too.
    <div tabIndex={0} role="region" aria-label="Table" className="my-2 max-w-full overflow-x-auto">
      <table className="text-left text-sm">{children}</table>
    </div>
  ),
};

const plugins = [remarkGfm];

// Tailwind has no typography plugin here, so the element styles live on the wrapper.
const prose =
  "min-w-0 break-words text-sm leading-relaxed text-slate-900 dark:text-slate-100 " +
  "[&_p]:my-2 [&_ul]:my-2 [&_ul]:list-disc [&_ul]:pl-5 [&_ol]:my-2 [&_ol]:list-decimal [&_ol]:pl-5 " +
  "[&_blockquote]:border-l-4 [&_blockquote]:border-slate-300 [&_blockquote]:pl-3 [&_blockquote]:text-slate-700 " +
  "dark:[&_blockquote]:border-slate-600 dark:[&_blockquote]:text-slate-300 " +
  "[&_:not(pre)>code]:rounded [&_:not(pre)>code]:bg-slate-100 [&_:not(pre)>code]:px-1 dark:[&_:not(pre)>code]:bg-slate-800 " +
  "[&_th]:border [&_th]:border-slate-300 [&_th]:px-2 [&_td]:border [&_td]:border-slate-300 [&_td]:px-2 " +
  "dark:[&_th]:border-slate-700 dark:[&_td]:border-slate-700 [&>*:first-child]:mt-0 [&>*:last-child]:mb-0";

/**
 * Memoised: the screen re-renders on every rationale keystroke and drag move, and re-parsing K
 * long completions each time would make typing lag.
 */
export const SafeMarkdown = memo(function SafeMarkdown({ text, className = "" }: { text: string; className?: string }) {
  return (
    <div className={`${prose} ${className}`}>
      <Markdown remarkPlugins={plugins} components={components}>
        {text}
      </Markdown>
    </div>
  );
});
