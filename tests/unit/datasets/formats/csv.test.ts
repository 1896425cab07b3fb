import { describe, expect, it } from "vitest";
import { csvRow, promptCell, textCell, writePairsCsv } from "@/lib/datasets/formats/csv";
import { text } from "@/tests/unit/datasets/fixtures";

describe("textCell", () => {
  it("quotes cells with commas, quotes or line breaks and doubles quotes (RFC 4180)", () => {
    expect(textCell("plain")).toBe("plain");
    expect(textCell("a,b")).toBe('"a,b"');
    expect(textCell('say "hi"')).toBe('"say ""hi"""');
    expect(textCell("two\nlines")).toBe('"two\nlines"');
    expect(textCell("cr\rhere")).toBe('"cr\rhere"');
    expect(textCell("")).toBe("");
  });

  it.each([
    ["=1+1", "'=1+1"],
    ["+SUM(A1)", "'+SUM(A1)"],
    ["-2", "'-2"],
    ["@cmd", "'@cmd"],
    ["\tx", "'\tx"],
    ["\rx", "\"'\rx\""],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
  ])("neutralises a formula start in %j", (input, expected) => {
    expect(textCell(input)).toBe(expected);
  });

  it("leaves a formula character that is not first alone", () => {
    expect(textCell("1=1")).toBe("1=1");
  });
});

describe("writePairsCsv", () => {
  it("writes a header and one CRLF-terminated row per pair, exact bytes", async () => {
    const out = await text(
      writePairsCsv([
        {
          promptId: "p1",
          annotatorId: "u1",
          prompt: [{ role: "user", content: "Sum, please" }],
          chosenId: "a",
          chosen: "=2+2",
          rejectedId: "b",
          rejected: 'He said "5"',
          margin: 1,
          agreement: 0.5,
        },
        {
          prompt: [{ role: "user", content: "x" }],
          chosen: "y",
          rejected: "z",
          tie: true,
        },
      ]),
    );
    expect(out).toBe(
      "prompt_id,annotator_id,prompt,chosen_id,chosen,rejected_id,rejected,tie,margin,agreement,chosen_context,rejected_context,chosen_source,rejected_source\r\n" +
        'p1,u1,"Sum, please",a,\'=2+2,b,"He said ""5""",false,1,0.5,,,model,model\r\n' +
        ",,x,,y,,z,true,,,,,model,model\r\n",
    );
  });

  it("writes a side's own conversation as JSON when it is not the prompt", async () => {
    const out = await text(writePairsCsv([{ prompt: [{ role: "user", content: "Q" }], chosen: "a", rejected: "b", rejectedContext: [{ role: "user", content: "Q2" }] }]));
    expect(out.split("\r\n")[1]).toBe(',,Q,,a,,b,false,,,,"[{""role"":""user"",""content"":""Q2""}]",model,model');
  });

  it("writes a multi-turn prompt as its message list in JSON", () => {
    expect(promptCell([{ role: "system", content: "s" }, { role: "user", content: "u" }])).toBe(
      '[{"role":"system","content":"s"},{"role":"user","content":"u"}]',
    );
    expect(csvRow(["a", "b"])).toBe("a,b\r\n");
  });
});
