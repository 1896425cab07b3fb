import { describe, expect, it } from "vitest";
import { trainWithEarlyStopping, type Divergence, type EarlyStoppingOptions, type EarlyStoppingResult } from "@/lib/numerics/early-stopping";
import { createRng } from "@/lib/numerics/rng";

/**
 * A stand-in model: its "weight" counts the steps taken, and the validation
 * loss after epoch e is read from a script, so patience and best-weight
 * selection can be checked exactly.
 */
function scripted(valLosses: number[], over: Partial<EarlyStoppingOptions<number, number>> = {}) {
  let weight = 0;
  let epoch = 0;
  const batches: number[][] = [];
  const options: EarlyStoppingOptions<number, number> = {
    items: [0, 1, 2, 3, 4, 5, 6],
    batchSize: 3,
    rng: createRng(1),
    epochs: valLosses.length,
    patience: 2,
    step: (batch) => {
      batches.push([...batch]);
      weight++;
      return 1 / weight;
    },
    finite: () => true,
    validate: () => ({ loss: valLosses[epoch++]!, accuracy: 0.5 }),
    snapshot: () => weight,
    diverged: () => {
      throw new Error("diverged");
    },
    yieldEvery: 2,
    ...over,
  };
  return { options, batches };
}

describe("trainWithEarlyStopping", () => {
  it("stops `patience` epochs after the best and returns the best epoch's snapshot", async () => {
    const { options } = scripted([0.9, 0.5, 0.6, 0.7, 0.4, 0.3]);
    const r = await trainWithEarlyStopping(options);
    expect(r.stopReason).toBe("early_stopping");
    expect(r.bestEpoch).toBe(2);
    expect(r.bestValLoss).toBe(0.5);
    expect(r.history).toHaveLength(4);
    expect(r.best).toBe(6); // 3 steps per epoch (7 items, batches of 3), snapshot after epoch 2
  });

  it("reports every epoch with its mean batch loss, steps and the best so far", async () => {
    const seen: unknown[] = [];
    const { options } = scripted([0.9, 0.5], { onEpoch: (m) => void seen.push(m) });
    const r = await trainWithEarlyStopping(options);
    expect(r.stopReason).toBe("completed");
    expect(seen).toEqual(r.history);
    expect(r.history[0]).toEqual({ epoch: 1, trainLoss: (1 + 1 / 2 + 1 / 3) / 3, valLoss: 0.9, valAccuracy: 0.5, bestValLoss: 0.9, steps: 3 });
    expect(r.history[1]).toMatchObject({ epoch: 2, valLoss: 0.5, bestValLoss: 0.5, steps: 3 });
  });

  it("reshuffles the items every epoch with the run's rng and covers each once per epoch", async () => {
    const { options, batches } = scripted([3, 2, 1], { patience: Number.POSITIVE_INFINITY });
    await trainWithEarlyStopping(options);
    const epochs = [batches.slice(0, 3).flat(), batches.slice(3, 6).flat(), batches.slice(6, 9).flat()];
    for (const order of epochs) expect([...order].sort()).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(new Set(epochs.map((o) => o.join())).size).toBe(3);
    expect(batches.map((b) => b.length)).toEqual([3, 3, 1, 3, 3, 1, 3, 3, 1]);
    // The same seed gives the same orders.
    const again = scripted([3, 2, 1], { patience: Number.POSITIVE_INFINITY });
    await trainWithEarlyStopping(again.options);
    expect(again.batches).toEqual(batches);
  });

  it("stops after the epoch where onEpoch returns 'stop'", async () => {
    const { options } = scripted([0.9, 0.8, 0.7, 0.6], { onEpoch: (m) => (m.epoch === 2 ? "stop" : undefined) });
    const r = await trainWithEarlyStopping(options);
    expect(r.stopReason).toBe("callback");
    expect(r.history).toHaveLength(2);
    expect(r.best).toBe(6);
  });

  it("stops before the next step when the signal aborts, without a report for the cut epoch", async () => {
    const ac = new AbortController();
    let steps = 0;
    const { options } = scripted([0.9, 0.8, 0.7, 0.6], {
      signal: ac.signal,
      step: () => {
        if (++steps === 5) ac.abort(); // the second step of epoch 2
        return 1;
      },
    });
    const r = await trainWithEarlyStopping(options);
    expect(r.stopReason).toBe("aborted");
    expect(steps).toBe(5);
    expect(r.history).toHaveLength(1);
    expect(r.bestEpoch).toBe(1);
  });

  it("hands the run so far to `diverged` on a non-finite loss, with the best snapshot", async () => {
    let caught: { at: Divergence; partial: EarlyStoppingResult<number> } | undefined;
    const diverged = (at: Divergence, partial: EarlyStoppingResult<number>): never => {
      caught = { at, partial };
      throw new Error("diverged");
    };
    let steps = 0;
    const { options } = scripted([0.9, 0.8, 0.7], { diverged, step: () => (++steps === 5 ? Number.NaN : 1), snapshot: () => steps });
    await expect(trainWithEarlyStopping(options)).rejects.toThrow("diverged");
    expect(caught?.at).toEqual({ epoch: 2, step: 2, loss: Number.NaN });
    expect(caught?.partial).toMatchObject({ best: 3, bestEpoch: 1, bestValLoss: 0.9 });
    expect(caught?.partial.history).toHaveLength(1);
  });

  it("calls `diverged` when the weights stop being finite, with the initial snapshot if no epoch finished", async () => {
    let caught: { at: Divergence; partial: EarlyStoppingResult<number> } | undefined;
    const diverged = (at: Divergence, partial: EarlyStoppingResult<number>): never => {
      caught = { at, partial };
      throw new Error("diverged");
    };
    const { options } = scripted([0.9], { diverged, finite: () => false });
    await expect(trainWithEarlyStopping(options)).rejects.toThrow("diverged");
    expect(caught?.at).toEqual({ epoch: 1, step: 1, loss: 1 });
    expect(caught?.partial).toMatchObject({ best: 0, bestEpoch: 0, history: [] });
  });

  it("names a bad epoch count, batch size or patience", async () => {
    await expect(trainWithEarlyStopping(scripted([1], { batchSize: 0 }).options)).rejects.toThrow("batchSize must be a positive integer, got 0");
    await expect(trainWithEarlyStopping(scripted([1], { patience: 0 }).options)).rejects.toThrow("patience must be a positive integer or Infinity, got 0");
    await expect(trainWithEarlyStopping(scripted([], {}).options)).rejects.toThrow("epochs must be a positive integer, got 0");
  });
});
