import { expect } from "vitest";
import { AppError } from "@/lib/errors";
import type { PairText, PromptGroup } from "@/lib/datasets/types";

/** Collects any (async) iterable into an array. */
export async function collect<T>(items: Iterable<T> | AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of items) out.push(x);
  return out;
}

/** Concatenates a writer's output into the bytes a file would hold. */
export async function text(chunks: AsyncIterable<string>): Promise<string> {
  return (await collect(chunks)).join("");
}

/**
 * One prompt, three completions, three annotators:
 * u1: a > b > c     u2: a > c > b     u3: b > a = c (tie)
 */
export function threeAnnotators(promptId = "p1"): PromptGroup {
  return {
    promptId,
    prompt: [{ role: "user", content: "Name a colour." }],
    completions: { a: "Red.", b: "Blue.", c: "Green." },
    rankings: [
      { annotatorId: "u1", promptId, ranks: { a: 1, b: 2, c: 3 }, createdAt: "2026-01-01T00:00:00Z" },
      { annotatorId: "u2", promptId, ranks: { a: 1, b: 3, c: 2 }, createdAt: "2026-02-01T00:00:00Z", flags: ["unsure"] },
      { annotatorId: "u3", promptId, ranks: { a: 2, b: 1, c: 2 }, createdAt: "2026-03-01T00:00:00Z" },
    ],
  };
}

export const pair: PairText = { prompt: [{ role: "user", content: "Hi?" }], chosen: "Hello!", rejected: "Go away." };

export const multiTurn: PairText = {
  prompt: [
    { role: "user", content: "Hi" },
    { role: "assistant", content: "Hello" },
    { role: "user", content: "Joke?" },
  ],
  chosen: "Knock knock.",
  rejected: "No.",
};

/** Awaits a parse and returns the thrown error, failing the test if none was thrown. */
export async function importError(run: Promise<unknown>): Promise<AppError> {
  try {
    await run;
  } catch (e) {
    expect(e).toBeInstanceOf(AppError);
    return e as AppError;
  }
  throw new Error("expected the import to fail");
}
