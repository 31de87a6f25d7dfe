/**
 * Whether Debian's rubocop is here for the lint tests: undefined when it is, else why not. Under CI
 * a missing rubocop throws (CI installs it, so a skip there would hide a broken setup); elsewhere
 * the tests skip, saying so loudly.
 */
import { spawnSync } from 'node:child_process';

export function rubocopMissing(what: string): string | undefined {
  if (spawnSync('rubocop', ['--version']).status === 0) return undefined;
  const why = 'rubocop is not on PATH (apt-get install -y --no-install-recommends rubocop)';
  if (process.env.CI) throw new Error(`CI is set but ${what} cannot run: ${why}`);
  console.warn(`\n!!!!! ${what.toUpperCase()} SKIPPED — ${why}\n`);
  return why;
}
