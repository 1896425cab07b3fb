import { afterEach, describe, expect, it } from "vitest";
import { modelIdSchema } from "@/lib/projects/schema";
import { env, resetEnvCache } from "@/lib/env";
import { formatHubModelId, isHubModelId, parseHubModelId } from "@/lib/hub/model-id";
import { hubSettingsFromEnv } from "@/lib/hub/settings";
import { hubUrlProblem } from "@/lib/hub/url-policy";

describe("parseHubModelId", () => {
  const ok: [string, { repo: string; file: string | null; revision: string }][] = [
    ["hf:HuggingFaceTB/SmolLM2-135M-Instruct", { repo: "HuggingFaceTB/SmolLM2-135M-Instruct", file: null, revision: "main" }],
    ["hf:Qwen/Qwen3-0.6B-GGUF/Qwen3-0.6B-Q4_K_M.gguf", { repo: "Qwen/Qwen3-0.6B-GGUF", file: "Qwen3-0.6B-Q4_K_M.gguf", revision: "main" }],
    ["hf:org/name/sub/dir/m.Q8_0.gguf@v1.0", { repo: "org/name", file: "sub/dir/m.Q8_0.gguf", revision: "v1.0" }],
    ["hf:org/name@refs/pr/3", { repo: "org/name", file: null, revision: "refs/pr/3" }],
    ["hf:org/name@0123456789abcdef0123456789abcdef01234567", { repo: "org/name", file: null, revision: "0123456789abcdef0123456789abcdef01234567" }],
  ];
  it.each(ok)("parses %s", (spec, want) => {
    expect(parseHubModelId(spec)).toEqual(want);
    expect(formatHubModelId(parseHubModelId(spec))).toBe(spec);
  });

  const bad: [string, RegExp][] = [
    ["hf:", /names no repo/],
    ["hf:gpt2", /names no repo/],
    ["hf:org/na--me", /repo name "na--me" is not a valid Hub name/],
    ["hf:../name", /organisation "\.\." is not a valid Hub name/],
    ["hf:org/name/../../etc/passwd.gguf", /file path may not hold an empty, "\." or "\.\." segment/],
    ["hf:org/name//x.gguf", /file path must be relative/],
    ["hf:org/name/a\\b.gguf", /backslash/],
    ["hf:org/name/model.safetensors", /a single file must be a \.gguf/],
    ["hf:org/name@", /revision "" is not a branch, tag or commit name/],
    ["hf:org/name@a/../b", /revision "a\/\.\.\/b"/],
    ["hf:org/name@x y", /revision "x y"/],
  ];
  it.each(bad)("refuses %s naming the problem", (spec, message) => {
    expect(() => parseHubModelId(spec)).toThrow(message);
    expect(() => parseHubModelId(spec)).toThrow(spec);
  });

  it("tells hf: ids from paths", () => {
    expect(isHubModelId("hf:org/name")).toBe(true);
    expect(isHubModelId("models/demo")).toBe(false);
    expect(isHubModelId("/abs/hf:x")).toBe(false);
  });

  it("lets a project's model field hold a path or a valid Hub id, and refuses a bad Hub id with its reason", () => {
    expect(modelIdSchema.parse("models/demo")).toBe("models/demo");
    expect(modelIdSchema.parse(" hf:org/name ")).toBe("hf:org/name");
    const r = modelIdSchema.safeParse("hf:org/name/weights.bin");
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].message).toMatch(/a single file must be a \.gguf/);
  });
});

describe("Hub settings from the environment", () => {
  const saved = { ...process.env };
  afterEach(() => {
    process.env = { ...saved };
    resetEnvCache();
  });
  const withEnv = (vars: Record<string, string | undefined>) => {
    process.env = { ...saved, HF_HOME: undefined, HF_HUB_CACHE: undefined, HF_TOKEN: undefined, HF_ENDPOINT: undefined, HF_HUB_OFFLINE: undefined, ...vars };
    for (const [k, v] of Object.entries(process.env)) if (v === undefined) delete process.env[k];
    resetEnvCache();
  };

  it("puts the cache in HF_HUB_CACHE, else HF_HOME/hub, else ~/.cache/huggingface/hub", () => {
    withEnv({ HF_HUB_CACHE: "/c/hub-cache", HF_HOME: "/h" });
    expect(hubSettingsFromEnv().cacheDir).toBe("/c/hub-cache");
    withEnv({ HF_HOME: "/h" });
    expect(hubSettingsFromEnv().cacheDir).toBe("/h/hub");
    withEnv({});
    expect(hubSettingsFromEnv().cacheDir).toMatch(/\.cache\/huggingface\/hub$/);
    expect(hubSettingsFromEnv().endpoint).toBe("https://huggingface.co");
    expect(hubSettingsFromEnv().offline).toBe(false);
  });

  it("reads HF_HUB_OFFLINE as huggingface_hub does and refuses other values", () => {
    withEnv({ HF_HUB_OFFLINE: "1" });
    expect(hubSettingsFromEnv().offline).toBe(true);
    withEnv({ HF_HUB_OFFLINE: "false" });
    expect(hubSettingsFromEnv().offline).toBe(false);
    withEnv({ HF_HUB_OFFLINE: "sometimes" });
    expect(() => env()).toThrow(/HF_HUB_OFFLINE: must be 1\/0/);
  });

  it("accepts an https endpoint or a loopback http one, and refuses plain http elsewhere", () => {
    withEnv({ HF_ENDPOINT: "https://hf-mirror.example/" });
    expect(hubSettingsFromEnv().endpoint).toBe("https://hf-mirror.example");
    withEnv({ HF_ENDPOINT: "http://127.0.0.1:8080" });
    expect(hubSettingsFromEnv().endpoint).toBe("http://127.0.0.1:8080");
    withEnv({ HF_ENDPOINT: "http://hf-mirror.example" });
    expect(() => env()).toThrow(/HF_ENDPOINT: must be https:\/\//);
    expect(hubUrlProblem("http://[::1]:9/x")).toBeNull();
    expect(hubUrlProblem("http://10.0.0.1/x")).toMatch(/must be https/);
    expect(hubUrlProblem("https://user:pw@huggingface.co")).toMatch(/user name or password/);
  });
});
