/**
 * What the sign-in form shows. Shared by the server (next-auth's authorize
 * throws RATE_LIMITED, which next-auth hands back as the `error` value) and
 * the form, so a throttled user is told to wait rather than "wrong password".
 */
export const RATE_LIMITED = "RateLimited";

export function signInErrorMessage(error: string): string {
  return error === RATE_LIMITED ? "Too many sign-in attempts. Wait a few minutes and try again." : "Wrong email or password.";
}
