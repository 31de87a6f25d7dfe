/**
 * A CLI process that runs only `cloche plan` — bundled by plan.bench.ts so the figure is the
 * whole process (start, model, probe, simulate, output), as `dist/cli.js plan` would be.
 */
import { run } from '../../server/src/cli/plan';

void run(process.argv.slice(2), { stdout: (s) => process.stdout.write(s), stderr: (s) => process.stderr.write(s), isTTY: false }).then((code) => { process.exitCode = code; });
