import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { isDeniedAddress, sourceUrlProblem } from "@/lib/generation/outbound";
import { completionSourceSchema, sourceTokenLimit } from "@/lib/generation/source";

const DENIED = [
  "127.0.0.1", "127.255.255.254", "0.0.0.0", "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
  "169.254.169.254", "100.64.0.1", "224.0.0.1", "239.255.255.250", "240.0.0.1", "255.255.255.255", "198.18.0.1", "192.0.2.7",
  "::", "::1", "fe80::1", "fd00::1", "fc12:3456::1", "ff02::1", "fec0::1", "2001:db8::1", "2002:7f00:1::1", "2001::1", "100::1",
  "::ffff:127.0.0.1", "::ffff:7f00:1", "::ffff:a9fe:a9fe", "::ffff:10.0.0.1", "64:ff9b::7f00:1", "64:ff9b::a9fe:a9fe", "::127.0.0.1",
  "[::1]", "fe80::1%eth0", "not an address", "",
];
const ALLOWED = ["8.8.8.8", "1.1.1.1", "93.184.216.34", "172.32.0.1", "100.128.0.1", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"];

describe("the completion-source address deny list", () => {
  it.each(DENIED)("denies %s", (ip) => expect(isDeniedAddress(ip)).toBe(true));
  it.each(ALLOWED)("allows %s", (ip) => expect(isDeniedAddress(ip)).toBe(false));
});

describe("completion-source URLs", () => {
  const URLS_DENIED = [
    "http://127.0.0.1:8000", "http://localhost:11434", "http://LOCALHOST./", "http://api.localhost/", "http://169.254.169.254/latest/meta-data",
    "http://2130706433/", "http://0x7f000001/", "http://0x7f.1/", "http://0177.0.0.1/", "http://127.1/", "http://[::1]:8000", "http://[::ffff:127.0.0.1]/",
    "http://[::ffff:a9fe:a9fe]/", "http://10.0.0.5/v1", "http://[fd12::1]/", "http://[fe80::1]/", "https://192.168.0.10",
  ];
  it.each(URLS_DENIED)("refuses %s by default and accepts it when private sources are allowed", (url) => {
    expect(sourceUrlProblem(url, { allowPrivate: false })).toMatch(/STUDIO_ALLOW_PRIVATE_SOURCES/);
    expect(sourceUrlProblem(url, { allowPrivate: true })).toBeNull();
  });

  it("accepts public hosts and names (names are checked again when they resolve)", () => {
    for (const url of ["https://api.openai.com", "http://8.8.8.8:8000/", "https://models.example.com/v1", "http://[2606:4700::1]/"]) {
      expect(sourceUrlProblem(url, { allowPrivate: false }), url).toBeNull();
    }
  });

  it("refuses other schemes and credentials in the URL, even when private sources are allowed", () => {
    expect(sourceUrlProblem("file:///etc/passwd", { allowPrivate: true })).toMatch(/http\(s\)/);
    expect(sourceUrlProblem("gopher://example.com", { allowPrivate: true })).toMatch(/http\(s\)/);
    expect(sourceUrlProblem("https://user:pw@example.com", { allowPrivate: true })).toMatch(/user name or password/);
    expect(sourceUrlProblem("not a url", { allowPrivate: true })).toMatch(/URL/);
  });
});

describe("completionSourceSchema", () => {
  const openai = (extra: Record<string, unknown>) => ({ type: "openai", baseUrl: "https://models.example.com", model: "m", ...extra });
  afterEach(() => {
    delete process.env.STUDIO_ALLOW_PRIVATE_SOURCES;
    resetEnvCache();
  });

  it("names only STUDIO_SOURCE_KEY_* variables as the API key", () => {
    for (const name of ["NEXTAUTH_SECRET", "DATABASE_URL", "GITHUB_SECRET", "STUDIO_SOURCE_KEY_", "studio_source_key_x", "XSTUDIO_SOURCE_KEY_A"]) {
      const parsed = completionSourceSchema.safeParse(openai({ apiKeyEnv: name }));
      expect(parsed.success, name).toBe(false);
      expect(parsed.error?.issues[0].message, name).toMatch(/STUDIO_SOURCE_KEY_/);
    }
    expect(completionSourceSchema.safeParse(openai({ apiKeyEnv: "STUDIO_SOURCE_KEY_VLLM" })).success).toBe(true);
  });

  it("refuses a loopback URL unless STUDIO_ALLOW_PRIVATE_SOURCES=true", () => {
    expect(completionSourceSchema.safeParse(openai({ baseUrl: "http://127.0.0.1:8000" })).success).toBe(false);
    process.env.STUDIO_ALLOW_PRIVATE_SOURCES = "true";
    resetEnvCache();
    expect(completionSourceSchema.safeParse(openai({ baseUrl: "http://127.0.0.1:8000" })).success).toBe(true);
  });

  it("bounds max_tokens by the schema's ceiling, the source's cap and its context", () => {
    expect(completionSourceSchema.safeParse(openai({ maxTokens: 1_000_000 })).success).toBe(false);
    expect(sourceTokenLimit({})).toBe(32_768);
    expect(sourceTokenLimit({ maxTokens: 512 })).toBe(512);
    expect(sourceTokenLimit({ contextLength: 4096 })).toBe(4095);
    expect(sourceTokenLimit({ maxTokens: 8192, contextLength: 2048 })).toBe(2047);
  });
});
