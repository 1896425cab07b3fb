import { describe, expect, it } from "vitest";
import { clientAddress, headerGetter } from "@/lib/auth/client-address";
import { KeyedQueue, SlidingWindow } from "@/lib/auth/rate-limit";

describe("SlidingWindow", () => {
  it("allows `limit` events per key in a window, then refuses until the oldest leaves it", () => {
    let now = 0;
    const w = new SlidingWindow({ limit: 2, windowMs: 1000 }, () => now);
    expect(w.take("a")).not.toBeNull();
    now = 400;
    expect(w.take("a")).not.toBeNull();
    expect(w.take("a")).toBeNull();
    expect(w.take("b")).not.toBeNull();
    expect(w.retryAfterMs("a")).toBe(600);
    now = 1000;
    expect(w.count("a")).toBe(1);
    expect(w.take("a")).not.toBeNull();
  });

  it("takes a refunded event back once", () => {
    const w = new SlidingWindow({ limit: 1, windowMs: 1000 }, () => 0);
    const refund = w.take("a")!;
    expect(w.take("a")).toBeNull();
    refund();
    refund();
    expect(w.count("a")).toBe(0);
    expect(w.take("a")).not.toBeNull();
    expect(w.take("a")).toBeNull();
  });

  it("forgets the stalest keys beyond maxKeys, so a flood of keys cannot grow it", () => {
    const w = new SlidingWindow({ limit: 1, windowMs: 1000, maxKeys: 3 }, () => 0);
    for (const k of ["a", "b", "c", "d"]) w.take(k);
    expect(w.count("a")).toBe(0);
    expect(w.count("d")).toBe(1);
  });
});

describe("KeyedQueue", () => {
  it("runs tasks of one key one at a time, in order, and other keys alongside", async () => {
    const q = new KeyedQueue(10);
    let running = 0;
    let most = 0;
    const order: number[] = [];
    const task = (i: number) => async () => {
      running++;
      most = Math.max(most, running);
      await new Promise((r) => setTimeout(r, 5));
      order.push(i);
      running--;
      return i;
    };
    const results = await Promise.all([1, 2, 3, 4].map((i) => q.run("k", task(i))));
    expect(results).toEqual([1, 2, 3, 4].map((value) => ({ refused: false, value })));
    expect(order).toEqual([1, 2, 3, 4]);
    expect(most).toBe(1);
  });

  it("refuses a task when too many already wait on its key, and keeps going after a failure", async () => {
    const q = new KeyedQueue(2);
    let release = () => {};
    const gate = new Promise<void>((r) => (release = r));
    const first = q.run("k", () => gate.then(() => { throw new Error("boom"); }));
    const waiting = [q.run("k", async () => "w1"), q.run("k", async () => "w2")];
    expect(await q.run("k", async () => "too many")).toEqual({ refused: true });
    expect(await q.run("other", async () => "free")).toEqual({ refused: false, value: "free" });
    release();
    await expect(first).rejects.toThrow("boom");
    expect(await Promise.all(waiting)).toEqual([{ refused: false, value: "w1" }, { refused: false, value: "w2" }]);
    expect(await q.run("k", async () => "again")).toEqual({ refused: false, value: "again" });
  });
});

describe("clientAddress", () => {
  const addr = (xff: string | undefined, hops: number) => clientAddress(headerGetter(xff === undefined ? {} : { "x-forwarded-for": xff }), hops);

  it("reads the address Next.js recorded when no proxy is trusted (proxy.ts drops the client's own header)", () => {
    expect(addr("203.0.113.9", 0)).toBe("203.0.113.9");
    expect(addr("::ffff:127.0.0.1", 0)).toBe("127.0.0.1");
    expect(addr(undefined, 0)).toBe("unknown");
    expect(addr("", 0)).toBe("unknown");
  });

  it("takes the entry as many places from the right as there are trusted proxies, ignoring what the client prepended", () => {
    expect(addr("6.6.6.6, 198.51.100.7", 1)).toBe("198.51.100.7");
    expect(addr("6.6.6.6, 198.51.100.7, 10.0.0.2", 2)).toBe("198.51.100.7");
    expect(addr("198.51.100.7", 2)).toBe("unknown");
  });

  it("drops ports, groups IPv6 by /64 and refuses what is not an address", () => {
    expect(addr("198.51.100.7:51234", 1)).toBe("198.51.100.7");
    expect(addr("[2001:db8:1:2::5]:443", 1)).toBe("2001:db8:1:2::/64");
    expect(addr("2001:db8:1:2:aaaa:bbbb:cccc:dddd", 1)).toBe(addr("2001:0db8:0001:0002::1", 1));
    expect(addr("2001:db8:1:3::1", 1)).not.toBe(addr("2001:db8:1:2::1", 1));
    expect(addr("evil, not-an-ip", 1)).toBe("unknown");
  });

  it("reads fetch Headers as well as next-auth's header object", () => {
    expect(clientAddress(headerGetter(new Headers({ "X-Forwarded-For": "192.0.2.1" })), 0)).toBe("192.0.2.1");
    expect(clientAddress(headerGetter({ "x-forwarded-for": ["192.0.2.1", "192.0.2.2"] }), 1)).toBe("192.0.2.2");
  });
});
