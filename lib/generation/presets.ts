/**
 * Turns a project's decoding presets into the K decoding configs of one
 * prompt. Completion i uses preset i mod P; every completion gets its own
 * seed, derived from the prompt id and i, so it can be reproduced exactly.
 */
import { parseDecodingConfig, type DecodingConfig } from "@/lib/engine/sampling";

export interface DecodingPreset {
  name: string;
  config: Record<string, unknown>;
}

export interface PlannedCompletion {
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

export function planCompletions(promptId: string, presets: readonly DecodingPreset[], k: number): PlannedCompletion[] {
  if (presets.length === 0) throw new Error("the project has no decoding presets");
  return Array.from({ length: k }, (_, i) => {
    const preset = presets[i % presets.length];
    const config = parseDecodingConfig({ ...preset.config, seed: seedFor(promptId, i) });
    return { presetName: preset.name, config };
  });
}
