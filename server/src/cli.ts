/** Entry point of `dist/cli.js`. */
import { main } from './cli/main';

main(process.argv.slice(2), {
  stdout: (s) => process.stdout.write(s),
  stderr: (s) => process.stderr.write(s),
  isTTY: !!process.stdout.isTTY,
}).then((code) => { process.exitCode = code; });
