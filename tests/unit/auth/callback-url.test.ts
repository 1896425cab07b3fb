import { describe, expect, it } from "vitest";
import { safeCallbackPath, safeRedirect } from "@/lib/auth/callback-url";
import { authOptions } from "@/lib/auth/options";

const ORIGIN = "https://studio.example.com";

describe("the sign-in callback URL", () => {
  it.each([
    ["/", "/"],
    ["/annotate", "/annotate"],
    ["/admin/users?tab=invites#new", "/admin/users?tab=invites#new"],
    ["/research/projects/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11", "/research/projects/0b6c7a52-5a8e-4d7e-9c1e-7f0e2f1b9a11"],
    ["/a/../admin", "/admin"],
  ])("keeps the same-origin path %s", (raw, want) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBe(want);
  });

  const refused = [
    "/\\evil.com", "/\\/evil.com", "//evil.com", "///evil.com", "/\t/evil.com", "/\n/evil.com", "/\r\n/evil.com", "/\u0000", "/x\\y",
    "https://evil.com", "http:evil.com", "javascript:alert(1)", "evil.com", " /annotate", "", "x".repeat(2001), "/".padEnd(2001, "a"),
  ];
  it.each(refused.map((raw) => [JSON.stringify(raw).slice(0, 40), raw]))("refuses %s", (_label, raw) => {
    expect(safeCallbackPath(raw, ORIGIN)).toBeNull();
  });

  it("refuses anything that is not a string", () => {
    for (const raw of [undefined, null, 1, ["/annotate"], { href: "/" }]) expect(safeCallbackPath(raw, ORIGIN)).toBeNull();
  });
});

describe("next-auth's redirect callback", () => {
  const redirect = (url: string) => safeRedirect({ url, baseUrl: ORIGIN });

  it("keeps same-origin paths and URLs and sends everything else to the app's root", () => {
    expect(redirect("/annotate")).toBe(`${ORIGIN}/annotate`);
    expect(redirect(`${ORIGIN}/admin?x=1`)).toBe(`${ORIGIN}/admin?x=1`);
    for (const url of ["/\\evil.com", "//evil.com", "https://evil.com/", `${ORIGIN}.evil.com/`, `${ORIGIN}//evil.com`, "https://studio.example.com:8443/", "http://studio.example.com/", "not a url"]) {
      expect(redirect(url), url).toBe(ORIGIN);
    }
  });

  it("is the callback next-auth is configured with", async () => {
    const callback = authOptions().callbacks?.redirect;
    expect(callback).toBeDefined();
    expect(await callback!({ url: "/\\evil.com", baseUrl: ORIGIN })).toBe(ORIGIN);
    expect(await callback!({ url: "/annotate", baseUrl: ORIGIN })).toBe(`${ORIGIN}/annotate`);
  });
});
