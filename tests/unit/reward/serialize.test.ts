import { describe, expect, it } from "vitest";
import { computeStandardization, createRewardHead, createScorer, type HeadConfig } from "@/lib/reward/head";
import { createRng } from "@/lib/numerics/rng";
import { deserializeRewardHead, serializeRewardHead } from "@/lib/reward/serialize";
import { RewardError } from "@/lib/reward/types";

const D = 6;
const rng = createRng(8);
const xs = Array.from({ length: 20 }, () => Float32Array.from({ length: D }, () => rng.normal() * 2 + 1));

function headOf(config: HeadConfig) {
  const head = createRewardHead(config, computeStandardization(xs, D), createRng(2));
  for (const p of Object.values(head.params)) for (let i = 0; i < p.length; i++) p[i] = rng.normal();
  return head;
}

describe("serializeRewardHead / deserializeRewardHead", () => {
  it.each([
    { kind: "linear", inputDim: D, hidden: 0, activation: "gelu" },
    { kind: "mlp", inputDim: D, hidden: 4, activation: "relu" },
  ] as HeadConfig[])("round-trips a $kind head through JSON config and tensors", (config) => {
    const head = headOf(config);
    const saved = serializeRewardHead(head, { backbone: "smollm-135m" });
    // The config crosses a file boundary: go through JSON as the caller would.
    const config2: unknown = JSON.parse(saved.metadata.config);
    expect(config2).toEqual(saved.config);
    const loaded = deserializeRewardHead(config2, saved.tensors);
    expect(loaded.config).toEqual(config.kind === "linear" ? { ...config, hidden: 0 } : config);
    const [a, b] = [createScorer(head), createScorer(loaded)];
    for (const x of xs) expect(b(x)).toBe(a(x));
    // Copies, not views: later training must not change the saved file's tensors.
    head.mean[0] += 1;
    expect(saved.tensors["standardize.mean"].data[0]).not.toBe(head.mean[0]);
  });

  it("uses nn.Linear names and shapes", () => {
    const saved = serializeRewardHead(headOf({ kind: "mlp", inputDim: D, hidden: 4, activation: "gelu" }));
    expect(Object.fromEntries(Object.entries(saved.tensors).map(([k, t]) => [k, t.shape]))).toEqual({
      "standardize.mean": [D],
      "standardize.std": [D],
      "fc1.weight": [4, D],
      "fc1.bias": [4],
      "fc2.weight": [1, 4],
      "fc2.bias": [1],
    });
    expect(saved.config).toMatchObject({ format: "rlhf-studio/reward-head", version: 1 });
  });

  it("names a wrong shape, a missing tensor, a bad config field and a zero std", () => {
    const saved = serializeRewardHead(headOf({ kind: "mlp", inputDim: D, hidden: 4, activation: "gelu" }));
    const bad = (tensors: typeof saved.tensors, config: unknown = saved.config) => {
      try {
        deserializeRewardHead(config, tensors);
      } catch (e) {
        expect(e).toBeInstanceOf(RewardError);
        return (e as Error).message;
      }
      throw new Error("expected a RewardError");
    };
    expect(bad({ ...saved.tensors, "fc1.weight": { ...saved.tensors["fc1.weight"], shape: [D, 4] } })).toBe(
      "tensor fc1.weight has shape [6, 4], expected [4, 6]",
    );
    const { "fc2.bias": _omit, ...missing } = saved.tensors;
    expect(bad(missing)).toBe("tensor fc2.bias is missing");
    expect(bad(saved.tensors, { ...saved.config, activation: "tanh" })).toMatch(/^reward head config: .*activation/s);
    const std = saved.tensors["standardize.std"].data.slice();
    std[2] = 0;
    expect(bad({ ...saved.tensors, "standardize.std": { dtype: "F32", shape: [D], data: std } })).toBe(
      "standardize.std must be > 0, got 0 at index 2",
    );
  });
});
