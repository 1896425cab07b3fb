/**
 * Password and one-time-link hashing for user accounts. Pure (bcrypt and Web
 * Crypto, no database, no Next.js), so the seed, the invite routes and the
 * sign-in check share it without db/ importing lib/auth.
 */
import bcrypt from "bcryptjs";

// Cost 10 takes ~70 ms here: slow enough to make offline guessing expensive,
// fast enough that sign-in stays snappy.
const COST = 10;

export function hashPassword(password: string): Promise<string> {
  return bcrypt.hash(password, COST);
}

export function verifyPassword(password: string, hash: string): Promise<boolean> {
  return bcrypt.compare(password, hash);
}

/** A random password for seeded users (no look-alike characters). */
const PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";

export function randomPassword(length = 14): string {
  // 256 is not a multiple of the alphabet size; rejecting bytes >= 220 keeps it uniform.
  let out = "";
  while (out.length < length) {
    for (const b of crypto.getRandomValues(new Uint8Array(length))) {
      if (b < 220 && out.length < length) out += PASSWORD_ALPHABET[b % PASSWORD_ALPHABET.length];
    }
  }
  return out;
}

/** A hard-to-guess token for one-time links, and the hash that is stored. */
export async function newLinkToken(): Promise<{ token: string; hash: string }> {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  const token = Buffer.from(bytes).toString("base64url");
  return { token, hash: await hashLinkToken(token) };
}

export async function hashLinkToken(token: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(token));
  return Buffer.from(digest).toString("hex");
}
