/**
 * A project's completion slots: which model version, with which decoding
 * preset, writes each of the K completions of a prompt. Annotators see the K
 * completions shuffled and unlabelled, so versions are compared blind.
 * Unset, a project has K slots of its "base" version with preset i mod P
 * (how every project generated before versions existed).
 */
import { z } from "zod";

export const completionSlotSchema = z.object({
  versionId: z.uuid(),
  /** A decoding preset's name in the project. */
  preset: z.string().trim().min(1).max(60),
}).strict();
export type CompletionSlot = z.infer<typeof completionSlotSchema>;

/** K slots: as many as a ranking screen shows (2–9). */
export const completionSlotsSchema = z.array(completionSlotSchema).min(2).max(9);

/** The slots that say the same as no setting: K slots of `baseId`, preset i mod P. */
export function defaultSlots(baseId: string, presetNames: readonly string[], k: number): CompletionSlot[] {
  if (presetNames.length === 0) throw new Error("the project has no decoding presets");
  return Array.from({ length: k }, (_, i) => ({ versionId: baseId, preset: presetNames[i % presetNames.length]! }));
}

/**
 * How many slots each version holds per preset: versionId → preset → count,
 * both in order of first appearance. A prompt lacks a version's completions
 * while it has fewer of them with some preset than this asks for.
 */
export function slotNeeds(slots: readonly CompletionSlot[]): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const s of slots) {
    const byPreset = out.get(s.versionId) ?? new Map<string, number>();
    byPreset.set(s.preset, (byPreset.get(s.preset) ?? 0) + 1);
    out.set(s.versionId, byPreset);
  }
  return out;
}

/** Why these slots cannot be a project's (a version or preset it does not have), or null. */
export function slotsProblem(slots: readonly CompletionSlot[], versionIds: ReadonlySet<string>, presetNames: readonly string[]): string | null {
  for (const [i, s] of slots.entries()) {
    if (!versionIds.has(s.versionId)) return `slots[${i}]: the project has no model version ${s.versionId}`;
    if (!presetNames.includes(s.preset)) return `slots[${i}]: the project has no decoding preset "${s.preset}" (it has ${presetNames.map((p) => `"${p}"`).join(", ")})`;
  }
  return null;
}

/**
 * One pass of a generation round: the prompts that lack `versionId`'s
 * completions get them. `need` is null for a project without a slot setting:
 * then a prompt is done once it has any completion, as before slots existed
 * (a prompt imported with its own completions is never sampled).
 */
export interface GenerationPass {
  versionId: string;
  need: ReadonlyMap<string, number> | null;
}

/** The passes of a generation round, one per version in the slots, in order of first appearance. */
export function generationPasses(setting: readonly CompletionSlot[] | null, baseId: string): GenerationPass[] {
  if (!setting) return [{ versionId: baseId, need: null }];
  return [...slotNeeds(setting)].map(([versionId, need]) => ({ versionId, need }));
}
