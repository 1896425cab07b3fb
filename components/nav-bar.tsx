import Link from "next/link";
import type { Role } from "@/lib/users/roles";
import { SignOutButton } from "./sign-out-button";

const linksByRole: Record<Role, { href: string; label: string }[]> = {
  admin: [
    { href: "/admin", label: "Projects" },
    { href: "/admin/users", label: "Users" },
    { href: "/review", label: "Review" },
    { href: "/research", label: "Research" },
    { href: "/annotate", label: "Annotate" },
  ],
  researcher: [
    { href: "/research", label: "Research" },
    { href: "/annotate", label: "Annotate" },
  ],
  reviewer: [
    { href: "/review", label: "Review" },
    { href: "/annotate", label: "Annotate" },
  ],
  annotator: [{ href: "/annotate", label: "My queue" }],
};

export function NavBar({ user }: { user: { name: string; email: string; role: Role } | null }) {
  return (
    <header className="border-b border-slate-200 bg-white dark:border-slate-800 dark:bg-slate-900">
      <nav aria-label="Main" className="mx-auto flex max-w-6xl flex-wrap items-center gap-4 px-4 py-3">
        <Link href="/" className="font-bold tracking-tight">
          RLHF Studio
        </Link>
        {user ? (
          <>
            <ul className="flex flex-wrap gap-1 text-sm">
              {linksByRole[user.role].map((l) => (
                <li key={l.href}>
                  <Link href={l.href} className="rounded px-2 py-1 hover:bg-slate-100 dark:hover:bg-slate-800">
                    {l.label}
                  </Link>
                </li>
              ))}
            </ul>
            <div className="ml-auto flex items-center gap-3 text-sm">
              <span className="text-slate-600 dark:text-slate-400" data-testid="signed-in-as">
                {user.name} <span className="sr-only">signed in as</span>({user.role})
              </span>
              <SignOutButton />
            </div>
          </>
        ) : null}
      </nav>
    </header>
  );
}
