/** `dist/server.js`: runs the language server bundle (`dist/cloche-server.js`, from `server/src/server.ts`) through the code cache. */
import * as path from 'node:path';
import { runBundle } from './codeCache';

runBundle(path.join(__dirname, 'cloche-server.js'));
