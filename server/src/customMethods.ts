/**
 * Cloche's custom LSP methods, declared once and imported by both the server and the client
 * (design.md decision 7). Each entry says who sends it and when. Only `vscode-jsonrpc` message types
 * are used, so the module loads on either side.
 */
import { RequestType, NotificationType } from 'vscode-jsonrpc';
import type { FidelityStats, Graph } from './protocol';

/** What `cloche/graph` is asked for: one of a document, a cookbook or an explicit run list. */
export interface GraphParams {
  /** A document URI: a recipe stands for itself, any other cookbook file for its cookbook's default recipe. */
  uri?: string;
  /** A cookbook name: its default recipe. */
  cookbook?: string;
  /** An explicit run list (`cookbook::recipe` entries). */
  runList?: string[];
  /** A platform profile (`debian-12`); defaults to the `cloche.platform` setting. */
  platform?: string;
}

/** Client → server, when a graph view opens or refreshes: the Graph JSON (design.md "Data contracts"). Null when the target is not in a cookbook. */
export const GraphRequest = new RequestType<GraphParams, Graph | null, void>('cloche/graph');

export type ServerState = 'indexing' | 'ready' | 'busy' | 'error';

/** The server's state for the client's status item. */
export interface StatusParams {
  state: ServerState;
  /** The platform profile diagnostics are computed for. */
  platform: string;
  /** Cookbooks indexed in the workspace. */
  cookbooks: number;
  /** Human-readable detail (e.g. "indexed 12 cookbooks in 80 ms"). */
  message?: string;
}

/** Server → client, after indexing, when the platform changes and when a problem needs attention. */
export const StatusNotification = new NotificationType<StatusParams>('cloche/status');

/** Client → server, when the user picks another platform profile: the names the server knows. */
export const PlatformsRequest = new RequestType<void, string[], void>('cloche/platforms');

/** What `cloche/fidelity` is asked for: the cookbook of a document. */
export interface FidelityParams {
  uri: string;
}

/**
 * Client → server, when the active editor changes and after edits: how well Cloche knows the run of
 * the document's cookbook (every recipe), for the language status. Null outside a cookbook.
 */
export const FidelityRequest = new RequestType<FidelityParams, FidelityStats | null, void>('cloche/fidelity');
