import { NextRequest } from "next/server";
import { afterEach, describe, expect, it } from "vitest";
import { resetEnvCache } from "@/lib/env";
import { proxy } from "@/proxy";

const request = (headers: Record<string, string> = {}) => new NextRequest("http://localhost:3000/api/auth/callback/credentials", { headers });
/** The request headers proxy.ts passes on to the app, or null when it passes the request unchanged. */
function forwarded(res: Response): string[] | null {
  const list = res.headers.get("x-middleware-override-headers");
  return list === null ? null : list.split(",").map((h) => h.trim());
}

afterEach(() => {
  delete process.env.STUDIO_TRUSTED_PROXY_HOPS;
  delete process.env.NEXTAUTH_URL;
  resetEnvCache();
});

describe("proxy.ts and X-Forwarded-For", () => {
  it("drops the header when no proxy is trusted, so Next.js records the socket's address instead", () => {
    const res = proxy(request({ "x-forwarded-for": "6.6.6.6", "x-keep": "1" }));
    expect(forwarded(res)).not.toContain("x-forwarded-for");
    expect(forwarded(res)).toContain("x-keep");
  });

  it("passes it on when STUDIO_TRUSTED_PROXY_HOPS says proxies append to it", () => {
    process.env.STUDIO_TRUSTED_PROXY_HOPS = "1";
    resetEnvCache();
    expect(forwarded(proxy(request({ "x-forwarded-for": "6.6.6.6, 198.51.100.7" })))).toBeNull();
  });
});

describe("proxy.ts and HSTS", () => {
  it("sends Strict-Transport-Security on every response when NEXTAUTH_URL is https", () => {
    process.env.NEXTAUTH_URL = "https://studio.example.com";
    resetEnvCache();
    expect(proxy(request()).headers.get("strict-transport-security")).toBe("max-age=63072000; includeSubDomains");
    expect(proxy(request({ "x-forwarded-for": "6.6.6.6" })).headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
    const refused = proxy(new NextRequest("https://studio.example.com/api/projects/%ff%fe"));
    expect(refused.status).toBe(400);
    expect(refused.headers.get("strict-transport-security")).toMatch(/^max-age=\d+/);
  });

  it("sends none when the app is served over plain http", () => {
    process.env.NEXTAUTH_URL = "http://localhost:3000";
    resetEnvCache();
    expect(proxy(request()).headers.get("strict-transport-security")).toBeNull();
    delete process.env.NEXTAUTH_URL;
    resetEnvCache();
    expect(proxy(request()).headers.get("strict-transport-security")).toBeNull();
  });
});

