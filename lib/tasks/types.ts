import type { Xoshiro128ss } from "@/lib/numerics/rng";

/** JSON-serializable facts a verifier needs to judge an answer (stored beside the prompt in the app). */
export type TaskMeta = Record<string, string | number | string[] | number[]>;

export interface Verdict {
  correct: boolean;
  reason: string;
}

export type Verifier = (meta: TaskMeta, answer: string) => Verdict;

/** One instruction → response pair; `verifierId` keys `verifiers` in ./index. */
export interface TaskItem {
  family: string;
  prompt: string;
  response: string;
  verifierId: string;
  meta: TaskMeta;
}

export interface TaskFamily {
  family: string;
  verifierId: string;
  generate(rng: Xoshiro128ss): { prompt: string; response: string; meta: TaskMeta };
  verify: Verifier;
  /** A plausible but wrong answer, so tests can show the verifier can say no. */
  nearMiss(meta: TaskMeta): string;
}

/** Trims, drops a trailing full stop and collapses spaces: the model may add either. */
export function normalize(answer: string): string {
  return answer.trim().replace(/[.!]+$/, "").replace(/\s+/g, " ").trim();
}

/** The first integer in the text, or null (answers like "12" or "It is 12."). */
export function firstInt(answer: string): number | null {
  const m = /-?\d+/.exec(answer);
  return m ? Number(m[0]) : null;
}

export function verdict(correct: boolean, reason: string): Verdict {
  return { correct, reason };
}

export function str(meta: TaskMeta, key: string): string {
  const v = meta[key];
  if (typeof v !== "string") throw new Error(`task meta: ${key} must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function num(meta: TaskMeta, key: string): number {
  const v = meta[key];
  if (typeof v !== "number") throw new Error(`task meta: ${key} must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function strs(meta: TaskMeta, key: string): string[] {
  const v = meta[key];
  if (!Array.isArray(v) || v.some((x) => typeof x !== "string")) {
    throw new Error(`task meta: ${key} must be a string array, got ${JSON.stringify(v)}`);
  }
  return v as string[];
}
