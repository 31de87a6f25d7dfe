/**
 * Cloche's custom LSP methods, declared once and imported by both the server and the client
 * (design.md decision 7). Each entry says who sends it and when. Only `vscode-jsonrpc` message types
 * are used, so the module loads on either side.
 */
import { RequestType, NotificationType } from 'vscode-jsonrpc';
import type { FidelityStats, Graph, RenderedContent } from './protocol';

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
  /** Each file-like resource's rendered content (`RenderedContent`), as `cloche graph --with-content` gives it. */
  withContent?: boolean;
  /**
   * The run of this kitchen suite of the document's cookbook (its run list and inputs, its platform
   * unless `platform` is given) instead of the picked one; `null`: no suite, the document's own run.
   * For a comparison of two suites; the picks are unchanged.
   */
  suite?: { suite: string; platform?: string } | null;
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

/** What `cloche/renderedContent` is asked for: the file-like resources at a place of a document. */
export interface RenderedContentParams {
  uri: string;
  /** A position in a recipe or resource file: the template, cookbook_file or file declared there. In a template (.erb), ignored: every resource rendering it. */
  position?: { line: number; character: number };
  /** A resource id (`template[/etc/app.conf]`) of the document's cookbook's run, instead of a position. */
  resource?: string;
}

/** One resource's rendered file. */
export interface RenderedFile {
  /** The resource's id, `template[/etc/app.conf]`. */
  resource: string;
  /** The path it writes, when known statically. */
  path?: string;
  /** The platform profile it was rendered for. */
  platform: string;
  content: RenderedContent;
}

/**
 * Client → server, for the preview of a rendered file (Cloche: Preview Rendered File) and when a
 * preview refreshes after an edit: what each resource there would write, unknown parts marked. Empty
 * when there is no such resource.
 */
export const RenderedContentRequest = new RequestType<RenderedContentParams, RenderedFile[], void>('cloche/renderedContent');

/** The client command a hover links to for the full preview; its argument is `{ file, line, character }` (0-based). */
export const PREVIEW_RENDERED_FILE_COMMAND = 'cloche.previewRenderedFile';

/**
 * The client command a code action runs to show a place (the other declaration of a duplicate
 * resource); its argument is `{ uri, range }` (an LSP location).
 */
export const REVEAL_LOCATION_COMMAND = 'cloche.revealLocation';
export interface RevealLocationArgs { uri: string; range: { start: { line: number; character: number }; end: { line: number; character: number } } }

/** A kitchen suite as the run picker lists it. */
export interface SuiteInfo {
  name: string;
  /** The run, as a user reads it: the run list, or the Policyfile's (named) run list. */
  runs: string;
  /** The kitchen platforms it runs on. */
  platforms: string[];
}

/** The run a document's cookbook is analysed with, for the run status item and the suite picker. */
export interface RunStatus {
  /** The kitchen file of the cookbook's repository, when there is one, and its suites. */
  kitchenFile?: string;
  suites: SuiteInfo[];
  /** The picked suite and kitchen platform, if any. */
  suite?: string;
  kitchenPlatform?: string;
  /** The platform profile the cookbook is analysed on, and why (`supports 'windows' in its metadata`). */
  platform: string;
  platformFrom: string;
  /** What the run takes besides its recipes, one line each (`role web`, `--attributes node.json`). */
  inputs: string[];
  /** Problems of the run's inputs (each is also a diagnostic at its file and line). */
  errors: string[];
}

/** Client → server, when the active editor changes and after a pick: the run of the document's cookbook. Null outside a cookbook. */
export const RunStatusRequest = new RequestType<{ uri: string }, RunStatus | null, void>('cloche/runStatus');

/** Client → server, when the user picks a kitchen suite (or none) for a kitchen file; also re-sent at start for the picks it remembers. */
export interface PickSuiteParams {
  kitchenFile: string;
  /** Undefined: no suite (every recipe on its own, with the settings' inputs). */
  suite?: string;
  kitchenPlatform?: string;
}
export const PickSuiteNotification = new NotificationType<PickSuiteParams>('cloche/pickSuite');

/**
 * Server → client, when how the linter stands changes (said once per change, never per file): ready
 * (which program and RuboCop version), missing (what to install), off (`cloche.lint.run`), untrusted,
 * or a run that timed out or failed (with why). The client shows it as a language status item.
 */
export type { LintStatus } from './lint/lintService';
export const LintStatusNotification = new NotificationType<import('./lint/lintService').LintStatus>('cloche/lintStatus');

/**
 * Client → server, when the user trusts the workspace (VS Code's Workspace Trust): the linter, which
 * runs the workspace's RuboCop plugins, may run from then on. The server starts trusted only when
 * `initializationOptions.trusted` is not `false`.
 */
export const WorkspaceTrustedNotification = new NotificationType<void>('cloche/workspaceTrusted');
