/**
 * Turns a project's completion slots (lib/models/slots.ts) into the decoding
 * configs of one prompt. Without a slot setting, completion i uses preset
 * i mod P. Every completion gets its own seed, derived from the prompt id and
 * its slot, so it can be reproduced exactly.
 */
import { parseDecodingConfig, type DecodingConfig } from "@/lib/engine/sampling";
import type { CompletionSlot } from "@/lib/models/slots";

export interface DecodingPreset {
  name: string;
  config: Record<string, unknown>;
}

export interface PlannedCompletion {
  /** The slot's position in the project's slots. */
  slot: number;
  versionId: string;
  presetName: string;
  config: DecodingConfig;
}

/** FNV-1a over the string, folded to a 31-bit seed. */
export function seedFor(promptId: string, index: number): number {
  let h = 0x811c9dc5;
  for (const ch of `${promptId}#${index}`) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 1) & 0x7fffffff;
}

/** Validates every preset with the engine's parser; the error names the preset and the field. */
export function validatePresets(presets: readonly DecodingPreset[]): void {
  presets.forEach((p, i) => {
    try {
      parseDecodingConfig(p.config);
    } catch (err) {
      throw new Error(`decodingPresets[${i}] ("${p.name}"): ${(err as Error).message}`, { cause: err });
    }
  });
}

/** A slot with its preset resolved: which version samples it, with which decoding config. */
export interface ResolvedSlot {
  versionId: string;
  preset: DecodingPreset;
}

/**
 * The project's slots with their presets: K slots of `baseId` with preset
 * i mod P when the project has no slot setting (as before slots existed),
 * else each slot's preset by name.
 * @throws naming the slot whose preset the project no longer has.
 */
export function resolveSlots(setting: readonly CompletionSlot[] | null, opts: { baseId: string; presets: readonly DecodingPreset[]; k: number }): ResolvedSlot[] {
  if (opts.presets.length === 0) throw new Error("the project has no decoding presets");
  if (!setting) return Array.from({ length: opts.k }, (_, i) => ({ versionId: opts.baseId, preset: opts.presets[i % opts.presets.length] }));
  return setting.map((s, i) => {
    const preset = opts.presets.find((p) => p.name === s.preset);
    if (!preset) throw new Error(`completion slot ${i + 1} names the decoding preset "${s.preset}", which the project does not have`);
    return { versionId: s.versionId, preset };
  });
}

/** An existing completion of a version on a prompt: the preset and seed it was sampled with. */
export interface SlotFiller {
  presetName: string | null;
  seed: number | null;
}

/**
 * The completions `versionId` still owes a prompt. Slot i (counted across
 * all versions) samples with seedFor(promptId, i), so a project without a
 * slot setting plans exactly what it always did. The version's existing
 * completions fill its slots first — each the slot of its preset whose seed
 * it carries, then the remaining slots of its preset in order — and only the
 * slots left over are planned: adding a version to the slots plans its new
 * slots alone and keeps every completion already written.
 */
export function planCompletions(promptId: string, slots: readonly ResolvedSlot[], versionId: string, existing: readonly SlotFiller[]): PlannedCompletion[] {
  const open = slots.map((s, i) => ({ ...s, slot: i, seed: seedFor(promptId, i) })).filter((s) => s.versionId === versionId);
  const unplaced: SlotFiller[] = [];
  for (const e of existing) {
    const exact = open.findIndex((s) => s.preset.name === e.presetName && s.seed === e.seed);
    if (exact >= 0) open.splice(exact, 1);
    else unplaced.push(e);
  }
  for (const e of unplaced) {
    const any = open.findIndex((s) => s.preset.name === e.presetName);
    if (any >= 0) open.splice(any, 1);
  }
  return open.map((s) => ({ slot: s.slot, versionId, presetName: s.preset.name, config: parseDecodingConfig({ ...s.preset.config, seed: s.seed }) }));
}
