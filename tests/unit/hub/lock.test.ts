import { mkdtempSync, rmSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { withFileLock } from "@/lib/hub/lock";

const dir = mkdtempSync(path.join(tmpdir(), "hub-lock-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("withFileLock", () => {
  it("runs holders of one lock one after the other", async () => {
    const lock = path.join(dir, "a.lock");
    const order: string[] = [];
    const hold = (name: string) => withFileLock(lock, undefined, async () => {
      order.push(`${name} in`);
      await new Promise((r) => setTimeout(r, 50));
      order.push(`${name} out`);
    });
    await Promise.all([hold("first"), hold("second")]);
    expect(order).toEqual(["first in", "first out", "second in", "second out"]);
  });

  it("takes over a lock its holder stopped touching (a process that died)", async () => {
    const lock = path.join(dir, "b.lock");
    writeFileSync(lock, "");
    const old = new Date(Date.now() - 60_000);
    utimesSync(lock, old, old);
    expect(await withFileLock(lock, undefined, async () => "ran")).toBe("ran");
  });

  it("stops waiting for a live lock when the caller aborts", async () => {
    const lock = path.join(dir, "c.lock");
    writeFileSync(lock, "");
    const ac = new AbortController();
    setTimeout(() => ac.abort(new Error("cancelled")), 100);
    await expect(withFileLock(lock, ac.signal, async () => "ran")).rejects.toThrow("cancelled");
  });
});
