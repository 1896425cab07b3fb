/** Reward head ⇄ safetensors bytes (config in `__metadata__`), the file the weights route serves. */
import { readSafetensors, type SafetensorsFile } from "@/lib/engine/formats/safetensors/read";
import { writeSafetensors } from "@/lib/engine/formats/safetensors/write";
import { tensorToFloat32 } from "@/lib/engine/tensor/dtype";
import { deserializeRewardHead, serializeRewardHead, type RewardHead } from "@/lib/reward";

export function rewardHeadToSafetensors(head: RewardHead, extra: Record<string, unknown>): Uint8Array {
  const file = serializeRewardHead(head, extra);
  return writeSafetensors(Object.entries(file.tensors).map(([name, t]) => ({ name, shape: t.shape, data: t.data })), file.metadata);
}

export function rewardHeadFromSafetensors(bytes: Uint8Array): RewardHead {
  return rewardHeadFromFile(readSafetensors(bytes, "reward-head.safetensors"));
}

/** The head in an already parsed safetensors file. */
export function rewardHeadFromFile(file: SafetensorsFile): RewardHead {
  const tensors = Object.fromEntries([...file.tensors].map(([name, t]) => [name, { shape: t.shape, data: tensorToFloat32(t) }]));
  return deserializeRewardHead(JSON.parse(file.metadata.config ?? "null"), tensors);
}
