"use client";

import { useState, type KeyboardEvent } from "react";
import { Button } from "@/components/ui/button";
import { Field, Textarea } from "@/components/ui/field";
import { REWRITE_MAX_CHARS, rewriteTextProblem } from "@/lib/ranking/rewrite";

/**
 * Edits a response into a better one. Saving checks what the server checks (not empty, not too
 * long, actually changed) and names the problem next to the field; Escape cancels.
 */
export function RewriteEditor({ id, title, initial, parentText, onSave, onCancel }: { id: string; title: string; initial: string; parentText: string; onSave: (text: string) => void; onCancel: () => void }) {
  const [text, setText] = useState(initial);
  const [error, setError] = useState<string | undefined>(undefined);
  const fieldId = `rewrite-text-${id}`;
  function save() {
    const problem = rewriteTextProblem(text, parentText);
    if (problem) return setError(problem);
    onSave(text.trim());
  }
  function onKeyDown(e: KeyboardEvent) {
    if (e.key === "Escape") {
      e.preventDefault();
      onCancel();
    }
  }
  return (
    <div className="mt-3 space-y-2" data-testid="rewrite-editor" onKeyDown={onKeyDown}>
      <Field label={title} htmlFor={fieldId} error={error} hint={`Markdown. Saved as a new, human-written response that you rank with the others (${text.length} / ${REWRITE_MAX_CHARS} characters).`}>
        <Textarea
          id={fieldId}
          rows={Math.min(14, Math.max(4, text.split("\n").length + 1))}
          value={text}
          autoFocus
          aria-invalid={error ? true : undefined}
          onChange={(e) => {
            setText(e.target.value);
            setError(undefined);
          }}
        />
      </Field>
      <div className="flex gap-2">
        <Button onClick={save}>Save rewrite</Button>
        <Button variant="ghost" onClick={onCancel}>Cancel</Button>
      </div>
    </div>
  );
}
