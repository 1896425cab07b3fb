/**
 * Reward head ⇄ { config JSON, named float32 tensors }. The caller writes the
 * tensors as safetensors (and the config beside them, or in the safetensors
 * `__metadata__`, which `metadata` provides as strings). Tensor names and
 * shapes follow PyTorch's nn.Linear so the file opens in Python as is.
 */
import { z } from "zod";
import { checkHeadConfig, type HeadConfig, type RewardHead } from "@/lib/reward/head";
import { RewardError } from "@/lib/reward/types";

export const REWARD_HEAD_FORMAT = "rlhf-studio/reward-head";

/** The JSON stored with the tensors. `extra` carries caller data (backbone, run id). */
export const rewardHeadFileConfigSchema = z.object({
  format: z.literal(REWARD_HEAD_FORMAT),
  version: z.literal(1),
  kind: z.enum(["linear", "mlp"]),
  inputDim: z.number().int().positive(),
  hidden: z.number().int().nonnegative(),
  activation: z.enum(["gelu", "relu"]),
  extra: z.record(z.string(), z.unknown()).optional(),
});
export type RewardHeadFileConfig = z.infer<typeof rewardHeadFileConfigSchema>;

/** A tensor as safetensors stores it: row-major float32 with its shape. */
export interface NamedTensor {
  dtype: "F32";
  shape: number[];
  data: Float32Array;
}

/** Everything needed to write a head to disk. */
export interface SerializedRewardHead {
  config: RewardHeadFileConfig;
  tensors: Record<string, NamedTensor>;
  /** String-only copy of the config for the safetensors `__metadata__` field. */
  metadata: Record<string, string>;
}

// param name -> tensor name and shape, per head kind.
function layout(config: HeadConfig): Array<{ param: string; tensor: string; shape: number[] }> {
  const d = config.inputDim;
  if (config.kind === "linear") {
    return [
      { param: "w", tensor: "head.weight", shape: [1, d] },
      { param: "b", tensor: "head.bias", shape: [1] },
    ];
  }
  const h = config.hidden;
  return [
    { param: "w1", tensor: "fc1.weight", shape: [h, d] },
    { param: "b1", tensor: "fc1.bias", shape: [h] },
    { param: "w2", tensor: "fc2.weight", shape: [1, h] },
    { param: "b2", tensor: "fc2.bias", shape: [1] },
  ];
}

/** Copies a head into named tensors plus its config; the head is not aliased. */
export function serializeRewardHead(head: RewardHead, extra?: Record<string, unknown>): SerializedRewardHead {
  const { kind, inputDim, activation } = head.config;
  const config: RewardHeadFileConfig = {
    format: REWARD_HEAD_FORMAT,
    version: 1,
    kind,
    inputDim,
    hidden: kind === "mlp" ? head.config.hidden : 0,
    activation,
    ...(extra ? { extra } : {}),
  };
  const tensors: Record<string, NamedTensor> = {
    "standardize.mean": { dtype: "F32", shape: [inputDim], data: head.mean.slice() },
    "standardize.std": { dtype: "F32", shape: [inputDim], data: head.std.slice() },
  };
  for (const { param, tensor, shape } of layout(head.config)) {
    tensors[tensor] = { dtype: "F32", shape, data: head.params[param].slice() };
  }
  return { config, tensors, metadata: { format: REWARD_HEAD_FORMAT, config: JSON.stringify(config) } };
}

/** A copy of tensor `name` (t), checked: present, of `shape`, every value finite; else RewardError("invalid_head"). */
export function readTensor(
  t: { shape: readonly number[]; data: Float32Array } | undefined,
  name: string,
  shape: readonly number[],
): Float32Array {
  if (!t) throw new RewardError("invalid_head", `tensor ${name} is missing`);
  const same = t.shape.length === shape.length && t.shape.every((s, i) => s === shape[i]);
  const size = shape.reduce((a, b) => a * b, 1);
  if (!same || t.data.length !== size) {
    throw new RewardError("invalid_head", `tensor ${name} has shape [${t.shape.join(", ")}], expected [${shape.join(", ")}]`);
  }
  for (let i = 0; i < t.data.length; i++) {
    if (!Number.isFinite(t.data[i])) throw new RewardError("invalid_head", `tensor ${name} contains ${t.data[i]} at index ${i}`);
  }
  return t.data.slice();
}

/**
 * Rebuilds a head from a config (parsed here: it comes from a file) and its
 * tensors. Throws RewardError("invalid_head") naming the bad field or tensor.
 */
export function deserializeRewardHead(
  config: unknown,
  tensors: Readonly<Record<string, { shape: readonly number[]; data: Float32Array }>>,
): RewardHead {
  const parsed = rewardHeadFileConfigSchema.safeParse(config);
  if (!parsed.success) throw new RewardError("invalid_head", `reward head config: ${z.prettifyError(parsed.error)}`);
  const c = parsed.data;
  const headConfig: HeadConfig = { kind: c.kind, inputDim: c.inputDim, hidden: c.hidden, activation: c.activation };
  try {
    checkHeadConfig(headConfig);
  } catch (err) {
    throw new RewardError("invalid_head", `reward head config: ${(err as Error).message}`);
  }
  const d = c.inputDim;
  const mean = readTensor(tensors["standardize.mean"], "standardize.mean", [d]);
  const std = readTensor(tensors["standardize.std"], "standardize.std", [d]);
  const bad = std.findIndex((s) => !(s > 0));
  if (bad >= 0) throw new RewardError("invalid_head", `standardize.std must be > 0, got ${std[bad]} at index ${bad}`);
  const params: Record<string, Float32Array> = {};
  for (const { param, tensor, shape } of layout(headConfig)) params[param] = readTensor(tensors[tensor], tensor, shape);
  return { config: headConfig, mean, std, params };
}
