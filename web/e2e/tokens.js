// Tokens and commands from the binary under test (`server token` …), for
// the browser tests that sign in: run.sh passes its path and VAR_DIR,
// whose secret signs the tokens the server accepts.
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";

const bin = process.env.CYBERLOTSE_BIN;
const varDir = process.env.VAR_DIR;

/** Why tests that need the binary cannot run here; false when they can. */
export const needsBinary = !bin || !varDir ? "needs CYBERLOTSE_BIN and VAR_DIR for tokens: run e2e/run.sh" : false;

/**
 * Runs the binary with the tests' VAR_DIR and returns its stdout.
 * @param {string[]} args
 */
export function serverCommand(args) {
  return execFileSync(/** @type {string} */ (bin), args, {
    env: { ...process.env, VAR_DIR: varDir },
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
  });
}

/**
 * A bearer token from `server token` (its last line of stdout; logs go to stderr).
 * @param {string} role
 * @param {string[]} scope e.g. ["--ags", "05766036"]
 * @param {string} ttl
 */
export function serverToken(role, scope = [], ttl = "1h") {
  const last = serverCommand(["token", "--role", role, ...scope, "--ttl", ttl]).trim().split("\n").at(-1) ?? "";
  assert.match(last, /^[\w-]+\.[\w-]+\.[\w-]+$/, "server token printed a JWT");
  return last;
}
