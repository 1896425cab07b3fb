import { createRng, type Xoshiro128ss } from "@/lib/numerics/rng";
import { arithmetic, compare, countLetters, unitConversion } from "./numeric";
import type { TaskFamily, TaskItem, Verifier } from "./types";
import { factPick, formatInstruction, reverseWords, sortWords, story } from "./wordplay";

export type { TaskFamily, TaskItem, TaskMeta, Verdict, Verifier } from "./types";

/** Every family, in a fixed order (the order fixes which family a seeded draw lands on). */
export const TASK_FAMILIES: readonly TaskFamily[] = [
  arithmetic, compare, countLetters, reverseWords, sortWords, unitConversion, factPick, formatInstruction, story,
];

/** verifierId → verifier; the app judges stored completions with this. */
export const verifiers: Readonly<Record<string, Verifier>> = Object.fromEntries(
  TASK_FAMILIES.map((f) => [f.verifierId, f.verify]),
);

export function familyByName(name: string): TaskFamily {
  const f = TASK_FAMILIES.find((x) => x.family === name);
  if (!f) throw new Error(`unknown task family ${name}; known: ${TASK_FAMILIES.map((x) => x.family).join(", ")}`);
  return f;
}

/** One item from a family (round-robin callers get a balanced corpus). */
export function generateItem(family: TaskFamily, rng: Xoshiro128ss): TaskItem {
  const { prompt, response, meta } = family.generate(rng);
  return { family: family.family, prompt, response, verifierId: family.verifierId, meta };
}

/** `count` items, families in turn, reproducible from `seed`. */
export function generateCorpus(seed: number, count: number, families: readonly TaskFamily[] = TASK_FAMILIES): TaskItem[] {
  const rng = createRng(seed);
  const items: TaskItem[] = [];
  for (let i = 0; i < count; i++) items.push(generateItem(families[i % families.length]!, rng));
  return items;
}
