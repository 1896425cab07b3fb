// Stands in for the `server-only` marker package under Vitest, which runs
// server code outside Next.js's react-server bundle.
export {};
