import type { Metadata } from "next";
import type { ReactNode } from "react";
import { NavBar } from "@/components/nav-bar";
import { Providers } from "@/components/providers";
import { getSessionUser } from "@/lib/auth/session";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "RLHF Studio", template: "%s · RLHF Studio" },
  description: "Collect human preference rankings and train reward models.",
};

// Every page depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function RootLayout({ children }: { children: ReactNode }) {
  const user = await getSessionUser();
  return (
    <html lang="en">
      <body className="min-h-screen">
        <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
          Skip to content
        </a>
        <NavBar user={user ? { name: user.name, email: user.email, role: user.role } : null} />
        <Providers>
          <main id="main" className="mx-auto max-w-6xl px-4 py-8">
            {children}
          </main>
        </Providers>
      </body>
    </html>
  );
}
