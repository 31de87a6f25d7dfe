/** Every feature adapter the server wires, in registration order. */
import type { Feature } from './session';
import { diagnostics } from './diagnostics';
import { watchedFiles } from './watchedFiles';

export const FEATURES: Feature[] = [diagnostics, watchedFiles];
