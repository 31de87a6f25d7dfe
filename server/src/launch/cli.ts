/** `dist/cli.js`: runs the CLI bundle (`dist/cloche-cli.js`, from `server/src/cli.ts`) through the code cache. */
import * as path from 'node:path';
import { runBundle } from './codeCache';

runBundle(path.join(__dirname, 'cloche-cli.js'));
