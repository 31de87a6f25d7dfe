/** Every feature adapter the server wires, in registration order. */
import type { Feature } from './session';
import { diagnostics } from './diagnostics';
import { workspaceDiagnostics } from './workspaceDiagnostics';
import { watchedFiles } from './watchedFiles';
import { completion } from './completion';
import { hover } from './hover';
import { definition } from './definition';
import { symbols } from './symbols';
import { graph } from './graph';
import { codeActions } from './codeActions';
import { inlayHints } from './inlayHints';
import { semanticTokens } from './semanticTokens';
import { fidelity } from './fidelity';
import { runChoice } from './runChoice';
import { renderedContent } from './renderedContent';
import { lint } from './lint';

export const FEATURES: Feature[] = [diagnostics, workspaceDiagnostics, watchedFiles, completion, hover, definition, symbols, graph, codeActions, inlayHints, semanticTokens, fidelity, renderedContent, runChoice, lint];
