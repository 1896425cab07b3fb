import type { Role } from "@/lib/users/roles";

declare module "next-auth/jwt" {
  interface JWT {
    sid?: string;
    role?: Role;
  }
}

declare module "next-auth" {
  interface User {
    role?: Role;
  }
  interface Session {
    sid?: string;
  }
}
