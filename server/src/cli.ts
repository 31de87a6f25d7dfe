/** Entry point of `dist/cli.js`. */
import { main } from './cli/main';

// Node 20 flags WASI (used to run prism) as experimental; that notice is noise in CLI output.
const emitWarning = process.emitWarning.bind(process);
process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
  if (/WASI/.test(String(warning instanceof Error ? warning.message : warning))) return;
  (emitWarning as (...a: unknown[]) => void)(warning, ...rest);
}) as typeof process.emitWarning;

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
}).then((code) => { process.exitCode = code; });
