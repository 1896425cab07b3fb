/**
 * A whole workflow from the command line, no browser: create a project,
 * import a public-style HH file into it, list it, change it, export it back.
 */
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runExport } from "@/cli/commands/export";
import { runImport } from "@/cli/commands/import";
import { runProject } from "@/cli/commands/project";
import { getProjectById } from "@/db/queries/projects";
import { setupTestDatabase, testDialect } from "../../support/test-db";

let cleanup: () => Promise<void>;
let dir: string;
beforeAll(async () => {
  ({ cleanup } = await setupTestDatabase());
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-flow-"));
});
afterAll(async () => {
  await cleanup();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Runs a command and returns what it printed on stdout. */
async function output(run: () => Promise<number>): Promise<string> {
  const lines: string[] = [];
  const [log, error] = [console.log, console.error];
  console.log = (...a: unknown[]) => void lines.push(a.join(" "));
  console.error = () => {};
  try {
    expect(await run()).toBe(0);
  } finally {
    [console.log, console.error] = [log, error];
  }
  return lines.join("\n");
}

const HH = path.resolve("tests/fixtures/preference/hh-sample.jsonl");

describe(`studio project + import + export on ${testDialect}`, () => {
  it("creates a project (printing its id), imports an HH file into it and exports the same file back", async () => {
    const guidelines = path.join(dir, "guide.md");
    fs.writeFileSync(guidelines, "# Be helpful\nPrefer *short* answers.\n");
    const id = (await output(() => runProject(["create", "--name", "HH from the CLI", "--k", "2", "--n", "1", "--guidelines", guidelines]))).trim();
    expect(id).toMatch(/^[0-9a-f-]{36}$/);
    const project = await getProjectById({ id });
    expect(project).toMatchObject({ name: "HH from the CLI", completionsPerPrompt: 2, rankingsPerPrompt: 1, modelId: "demo", status: "active", guidelines: "# Be helpful\nPrefer *short* answers.\n" });
    expect(project!.decodingPresets).toHaveLength(4);

    await output(() => runImport(["--project", "HH from the CLI", "--file", HH]));
    const listed = JSON.parse(await output(() => runProject(["list", "--json"]))) as { id: string; rankings: number; prompts: number }[];
    expect(listed.find((p) => p.id === id)).toMatchObject({ rankings: 17, prompts: 15 });
    expect(await output(() => runProject(["list"]))).toMatch(new RegExp(`^id +name +status +prompts +rankings +K +N +model\\n(.*\\n)*${id}  HH from the CLI +active +15 +17 +2 +1 +demo`, "m"));

    const out = path.join(dir, "back.jsonl");
    await output(() => runExport(["--project", id, "--format", "hh", "--out", out]));
    expect(fs.readFileSync(out, "utf8").split("\n").map((l) => (l ? JSON.parse(l) : l))).toEqual(fs.readFileSync(HH, "utf8").split("\n").map((l) => (l ? JSON.parse(l) : l)));
  });

  it("updates a project by name and says which flag is wrong", async () => {
    const id = (await output(() => runProject(["create", "--name", "To change"]))).trim();
    expect(await output(() => runProject(["update", "To change", "--name", "Changed", "--k", "3", "--n", "5", "--model", "models/demo", "--status", "paused"]))).toMatch(/^Updated "Changed" .*: name, completionsPerPrompt, rankingsPerPrompt, modelId, status\.$/);
    expect(await getProjectById({ id })).toMatchObject({ name: "Changed", completionsPerPrompt: 3, rankingsPerPrompt: 5, modelId: "models/demo", status: "paused" });
    await expect(runProject(["update", id, "--k", "12"])).rejects.toThrow(/^--k: Too big: expected number to be <=9/);
    await expect(runProject(["update", id, "--n", "many"])).rejects.toThrow(/^--n: Invalid input: expected number, received string/);
    await expect(runProject(["update", id, "--status", "gone"])).rejects.toThrow(/^--status: Invalid option/);
    await expect(runProject(["update", id])).rejects.toThrow(/^update: nothing to change/);
    await expect(runProject(["update", "No such project", "--n", "2"])).rejects.toThrow(/^--project: no project with name "No such project"/);
    await expect(runProject(["create", "--k", "3"])).rejects.toThrow(/^--name: Invalid input: expected string, received undefined/);
    await expect(runProject(["create", "--name", "x", "--bogus"])).rejects.toThrow(/Unknown option '--bogus'/);
    await expect(runProject(["create", "--name", "x", "--guidelines", path.join(dir, "missing.md")])).rejects.toThrow(/^--guidelines: cannot read .*missing\.md \(ENOENT\)/);
  });
});
