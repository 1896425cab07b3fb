import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createProjectSchema, modelIdSchema } from "@/app/api/projects/schema";
import { resetEnvCache } from "@/lib/env";
import { ModelPathError, modelPathProblem, modelRoots, resolveModelPath } from "@/lib/model-files/model-path";

// A models folder and, beside it, a folder outside it (what a symlink may try to reach).
let tmp = "";
let models = "";
let outside = "";
const saved = { ...process.env };

beforeAll(() => {
  tmp = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), "model-path-")));
  models = path.join(tmp, "models");
  outside = path.join(tmp, "elsewhere");
  for (const d of [path.join(models, "good"), path.join(outside, "secret-model")]) fs.mkdirSync(d, { recursive: true });
  fs.writeFileSync(path.join(models, "good", "config.json"), "{}");
  fs.writeFileSync(path.join(models, "m.gguf"), "GGUF");
  fs.writeFileSync(path.join(outside, "secret-model", "config.json"), "{}");
  fs.writeFileSync(path.join(outside, "passwords.txt"), "hunter2");
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function useModelsDir(dirs: string[], extra: Record<string, string> = {}) {
  process.env = { ...saved, MODELS_DIR: dirs.join(path.delimiter), ...extra };
  resetEnvCache();
}
afterEach(() => {
  process.env = { ...saved };
  resetEnvCache();
});

describe("modelPathProblem (the API's check on the text)", () => {
  it("lets a project name demo, a Hub id, or a path inside a models folder", () => {
    useModelsDir([models]);
    for (const ok of ["demo", "hf:org/name", "hf:org/name/x.gguf@main", path.join(models, "good"), path.join(models, "m.gguf")]) {
      expect(modelPathProblem(ok), ok).toBeNull();
    }
  });

  it("defaults to models/ and data/models/ beside the app, so the shipped demo model path is accepted", () => {
    useModelsDir([]);
    delete process.env.MODELS_DIR;
    resetEnvCache();
    expect(modelRoots()).toEqual([path.resolve("models"), path.resolve("data/models")]);
    expect(modelPathProblem("models/demo")).toBeNull();
    expect(modelPathProblem("data/models/my-sft")).toBeNull();
  });

  it.each([
    ["/etc/passwd", /must lie inside the models folder .*got "\/etc\/passwd"/],
    ["/", /must lie inside the models folder/],
    ["src", /must lie inside the models folder/],
    ["models/../../etc", /may not contain "\.\."/],
    ["models/good/..", /may not contain "\.\."/],
    ["models\\..\\x", /may not contain "\.\."/],
    ["models/x\u0000y", /NUL/],
  ])("refuses %j", (spec, message) => {
    useModelsDir([path.resolve("models")]);
    expect(modelPathProblem(spec)).toMatch(message);
  });

  it("is what the project schema checks, with a message that says what to do", () => {
    useModelsDir([models]);
    const bad = modelIdSchema.safeParse("/etc");
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0].message).toMatch(/a model path must lie inside the models folder \(.*models; set MODELS_DIR to change it\), or be a Hub id \(hf:org\/name\) or "demo", got "\/etc"/);
    const body = { name: "p", completionsPerPrompt: 2, rankingsPerPrompt: 1, decodingPresets: [{ name: "g", config: {} }] };
    expect(createProjectSchema.safeParse({ ...body, modelId: "../secret" }).success).toBe(false);
    expect(createProjectSchema.parse({ ...body, modelId: path.join(models, "good") }).modelId).toBe(path.join(models, "good"));
  });
});

describe("resolveModelPath (the worker's check when it opens the model)", () => {
  it("gives the real path of a folder or file inside a models folder", async () => {
    useModelsDir([models]);
    expect(await resolveModelPath(path.join(models, "good"))).toBe(path.join(models, "good"));
    expect(await resolveModelPath(path.join(models, "m.gguf"))).toBe(path.join(models, "m.gguf"));
  });

  it("passes Hub ids through and reads demo as MODEL_PATH, which the operator sets and is not confined", async () => {
    useModelsDir([models], { MODEL_PATH: path.join(outside, "secret-model") });
    expect(await resolveModelPath("hf:org/name")).toBe("hf:org/name");
    expect(await resolveModelPath("demo")).toBe(path.join(outside, "secret-model"));
  });

  it("refuses a symlink in the models folder that leads outside it, though its text passed the API's check", async () => {
    useModelsDir([models]);
    const link = path.join(models, "innocent");
    fs.symlinkSync(path.join(outside, "secret-model"), link);
    expect(modelPathProblem(link)).toBeNull();
    await expect(resolveModelPath(link)).rejects.toThrow(ModelPathError);
    await expect(resolveModelPath(link)).rejects.toThrow(`${link} leads outside the models folder`);
  });

  it("refuses a model folder whose files are symlinks out of the models folder", async () => {
    useModelsDir([models]);
    const dir = path.join(models, "leaky");
    fs.mkdirSync(dir);
    fs.writeFileSync(path.join(dir, "config.json"), "{}");
    fs.symlinkSync(path.join(outside, "passwords.txt"), path.join(dir, "model.safetensors"));
    await expect(resolveModelPath(dir)).rejects.toThrow(`${path.join(dir, "model.safetensors")} leads outside the models folder`);
  });

  it("accepts symlinks that stay inside the models folders", async () => {
    useModelsDir([models]);
    const dir = path.join(models, "shared-weights");
    fs.mkdirSync(dir);
    fs.symlinkSync(path.join(models, "good", "config.json"), path.join(dir, "config.json"));
    expect(await resolveModelPath(dir)).toBe(dir);
  });

  it("refuses a device reached through a models folder's entry", async () => {
    useModelsDir([models, "/dev"]);
    const dir = path.join(models, "endless");
    fs.mkdirSync(dir);
    fs.symlinkSync("/dev/zero", path.join(dir, "model.safetensors"));
    await expect(resolveModelPath(dir)).rejects.toThrow(`${path.join(dir, "model.safetensors")} is neither a regular file nor a folder`);
  });

  it("refuses a path outside the folders before touching the disk, and leaves a missing one to the loader", async () => {
    useModelsDir([models]);
    await expect(resolveModelPath(path.join(outside, "secret-model"))).rejects.toThrow(/must lie inside the models folder/);
    expect(await resolveModelPath(path.join(models, "not-yet"))).toBe(path.join(models, "not-yet"));
  });
});
