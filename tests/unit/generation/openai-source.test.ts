import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { DEFAULT_DECODING_CONFIG } from "@/lib/engine/sampling";
import { resetEnvCache } from "@/lib/env";
import { openConfiguredOpenAiSource, openOpenAiSource, type OpenAiSourceOptions } from "@/lib/generation/openai-source";
import { resolvedAddressProblem, type Resolver } from "@/lib/generation/outbound";

// A stand-in endpoint on loopback; each test says how it answers. Every connection these tests
// open goes to loopback, also when the code under test is broken: resolvers map names to 127.0.0.1 only.
type Answer = (res: http.ServerResponse) => void;
const ok: Answer = (res) => res.setHeader("content-type", "application/json").end(JSON.stringify({ choices: [{ message: { content: "hi" }, finish_reason: "stop" }], usage: { completion_tokens: 1 } }));
let answer: Answer = ok;
const seen: { url: string; authorization?: string }[] = [];
let server: http.Server;
let port = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? "", authorization: req.headers.authorization });
    req.resume().on("end", () => answer(res));
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  answer = ok;
  seen.length = 0;
  vi.restoreAllMocks();
});

const config = { ...DEFAULT_DECODING_CONFIG, maxNewTokens: 16 };
const prompt = { text: "Hi", messages: null };
const open = (o: Partial<OpenAiSourceOptions>) => openOpenAiSource({ baseUrl: `http://127.0.0.1:${port}`, model: "m", allowPrivate: true, maxTokens: 1024, ...o });
const run = (o: Partial<OpenAiSourceOptions>, configs = [config]) => open(o).generate(prompt, configs, new AbortController().signal);
/** A resolver that sends every name to loopback, as a rebinding DNS server would. */
const toLoopback: Resolver = async () => [{ address: "127.0.0.1", family: 4 }];

describe("the OpenAI-compatible source's outbound requests", () => {
  it("refuses a loopback address before sending anything unless private sources are allowed", async () => {
    await expect(run({ allowPrivate: false })).rejects.toThrow(/loopback, link-local, private or reserved address \(127\.0\.0\.1\)/);
    expect(seen).toHaveLength(0);
    await expect(run({ allowPrivate: true })).resolves.toMatchObject([{ text: "hi" }]);
    expect(seen).toHaveLength(1);
  });

  it("checks the address a host name resolves to when it connects (DNS rebinding)", async () => {
    const resolve = vi.fn(toLoopback);
    await expect(run({ baseUrl: `http://models.example.test:${port}`, allowPrivate: false, resolve })).rejects.toThrow(/resolves to 127\.0\.0\.1/);
    expect(resolve).toHaveBeenCalledWith("models.example.test");
    expect(seen).toHaveLength(0);
    // The same name is used as resolved at connect time once private sources are allowed.
    await expect(run({ baseUrl: `http://models.example.test:${port}`, allowPrivate: true, resolve })).resolves.toHaveLength(1);
    expect(seen).toHaveLength(1);
  });

  it("refuses a name when any of its addresses is private", () => {
    // Checked without connecting: a test must never open a connection to a public address.
    const mixed = [{ address: "93.184.216.34" }, { address: "::ffff:169.254.169.254" }];
    expect(resolvedAddressProblem("mixed.example.test", mixed, { allowPrivate: false })).toMatch(/resolves to ::ffff:169\.254\.169\.254/);
    expect(resolvedAddressProblem("mixed.example.test", mixed, { allowPrivate: true })).toBeNull();
    expect(resolvedAddressProblem("public.example.test", [{ address: "93.184.216.34" }], { allowPrivate: false })).toBeNull();
  });

  it("does not follow a redirect", async () => {
    answer = (res) => res.writeHead(307, { location: "http://169.254.169.254/latest/meta-data/" }).end();
    await expect(run({})).rejects.toThrow(/redirect \(HTTP 307\), which is not followed/);
    expect(seen).toHaveLength(1);
  });

  it("keeps the endpoint's error text out of the error and logs a short, single-line excerpt", async () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    answer = (res) => res.writeHead(500).end(`SECRET-STACK-TRACE\n\u001b[31m${"x".repeat(5000)}`);
    const err = (await run({}).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/answered HTTP 500/);
    expect(err.message).not.toContain("SECRET");
    const logged = String(warn.mock.calls[0]?.[0]);
    expect(logged).toContain("SECRET-STACK-TRACE");
    expect(logged.includes("\n") || logged.includes("\u001b")).toBe(false);
    expect(logged.length).toBeLessThan(400);
  });

  it("keeps a reply that is not JSON out of the error", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    answer = (res) => res.end("<html>SECRET internal page</html>");
    const err = (await run({}).catch((e: Error) => e)) as Error;
    expect(err.message).toMatch(/not JSON/);
    expect(err.message).not.toContain("SECRET");
  });

  it("refuses max_new_tokens above the source's limit without sending a request", async () => {
    await expect(run({ maxTokens: 8 })).rejects.toThrow("max_new_tokens 16 is above this completion source's limit of 8 tokens");
    expect(seen).toHaveLength(0);
  });
});

describe("the API key of a configured source", () => {
  afterEach(() => {
    delete process.env.STUDIO_SOURCE_KEY_TEST;
    delete process.env.STUDIO_ALLOW_PRIVATE_SOURCES;
    resetEnvCache();
  });

  it("comes from a STUDIO_SOURCE_KEY_* variable and is sent as a bearer token", async () => {
    process.env.STUDIO_SOURCE_KEY_TEST = "sk-test";
    process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "true";
    resetEnvCache();
    const source = openConfiguredOpenAiSource({ type: "openai", baseUrl: `http://127.0.0.1:${port}`, model: "m", apiKeyEnv: "STUDIO_SOURCE_KEY_TEST" });
    await source.generate(prompt, [config], new AbortController().signal);
    expect(seen[0].authorization).toBe("Bearer sk-test");
  });

  it("is never read from another variable, even when the stored setting names one", () => {
    process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "true";
    resetEnvCache();
    const stored = { type: "openai", baseUrl: `http://127.0.0.1:${port}`, model: "m", apiKeyEnv: "NEXTAUTH_SECRET" } as const;
    expect(() => openConfiguredOpenAiSource(stored)).toThrow(/must name a variable starting with STUDIO_SOURCE_KEY_/);
    expect(() => openConfiguredOpenAiSource({ ...stored, apiKeyEnv: "STUDIO_SOURCE_KEY_UNSET" })).toThrow(/STUDIO_SOURCE_KEY_UNSET .* is not set/);
  });
});
