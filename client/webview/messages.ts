/**
 * The typed messages between the extension and the graph webview, declared once and imported by both
 * sides (design.md decision 7). One discriminated union per direction; each message says who sends it
 * and when. Both sides switch over `type` exhaustively, so adding a message breaks the build until it is
 * handled.
 */
import type { Graph, SourceLocation, StepStatus } from '../../server/src/protocol';

/** What the preview shows: the recipe in an editor, a whole cookbook, or an explicit run list. */
export type GraphSource =
  | { kind: 'document'; uri: string; label: string }
  | { kind: 'cookbook'; cookbook: string; label: string }
  | { kind: 'runList'; runList: string[]; label: string };

/** A plan step's outcome for one resource, as the graph shows it after a dry run. */
export interface NodePlanStatus {
  resource: string;
  status: StepStatus;
  /** Short human text ("would install nginx 1.22.1"), shown in the tooltip and details. */
  summary?: string;
}

/**
 * While a run comparison is shown ("Compare Run with…"): how the drawn graph differs from the baseline.
 * Sent only when the comparison's working side is the drawn run (same run list and platform).
 */
export interface GraphRunDiff {
  /** What is compared, for people: "HEAD → working tree (debian-12)"; the webview follows it with the counts ("…: 2 added, 1 removed, 3 changed, 1 may change"). */
  label: string;
  /**
   * Resources of the drawn graph that differ, by `resource` id (`occurrence`: 0-based, the nth resource
   * with that id in converge order, 0 when absent). Drawn on the node, or rolled up on the collapsed
   * custom resource or recipe holding it; `summary` goes to its tooltip and details.
   */
  marks: { resource: string; occurrence?: number; status: 'added' | 'changed' | 'may-change'; summary?: string }[];
  /** Resources only the baseline has: not in the drawn graph, shown apart as removed (a click reveals the baseline's source line). */
  removed: { resource: string; type: string; location: SourceLocation }[];
}

/** The export formats the toolbar offers. */
export type ExportFormat = 'svg' | 'dot' | 'mermaid';

/** What the webview keeps across reloads (vscode.setState) and hands to the serializer on restart. */
export interface GraphViewState {
  source: GraphSource;
  platform?: string;
  search: string;
  hiddenEdgeKinds: string[];
  /** Custom resources drawn expanded (they start collapsed). */
  expanded: string[];
  /** Recipe groups drawn collapsed; absent until the first view decided them. */
  collapsed?: string[];
  /** While a run comparison is shown: draw only the resources it marks ("Changed only"); turned off when the comparison ends. */
  changedOnly?: boolean;
}

/** Extension → webview. */
export type ToWebview =
  /** After `ready` and after every (debounced) edit: the graph to draw; `seq` grows so late answers are dropped. */
  | { type: 'graph'; seq: number; graph: Graph; source: GraphSource; platforms: string[] }
  /** While the server computes a graph: show a busy indicator, keep the old drawing. */
  | { type: 'loading'; source: GraphSource }
  /** When the graph cannot be computed: what went wrong and what to do. */
  | { type: 'error'; message: string }
  /** When the cursor moves in an editor of the shown cookbook: the resources under it (may be empty). */
  | { type: 'highlight'; resourceIds: string[] }
  /** After a dry run: each resource's plan status; an empty list clears the statuses. */
  | { type: 'planStatus'; statuses: NodePlanStatus[] }
  /** When a comparison starts, after each recompare, and when it ends (`diff: null`): the marks to draw. */
  | { type: 'runDiff'; diff: GraphRunDiff | null }
  /** When the user runs an export command from the editor title: produce that format and send it back. */
  | { type: 'requestExport'; format: ExportFormat };

/** Webview → extension. */
export type FromWebview =
  /** Once the script has loaded and listens: the extension then sends the graph. */
  | { type: 'ready'; state?: GraphViewState }
  /** When a node is clicked (or Enter on a focused node): open the resource's source. */
  | { type: 'reveal'; resourceId: string; location: SourceLocation }
  /** When the user picks another platform in the toolbar: recompute the graph for it. */
  | { type: 'setPlatform'; platform: string }
  /** When the user exports: the produced text for the extension to save. */
  | { type: 'export'; format: ExportFormat; content: string; suggestedName: string }
  /** After each render pass: timings and what was drawn (`nodes`: resource boxes); `complete` is true once nothing is left to lay out. */
  | { type: 'rendered'; seq: number; nodes: number; edges: number; layoutMs: number; renderMs: number; totalMs: number; complete: boolean }
  /** When the webview fails unexpectedly: the message for the extension's log channel. */
  | { type: 'log'; level: 'info' | 'warn' | 'error'; message: string };

/** Narrowing helper for `message` events whose data comes from outside the type system. */
export function isToWebview(data: unknown): data is ToWebview {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}

/** Narrowing helper for the extension side. */
export function isFromWebview(data: unknown): data is FromWebview {
  return typeof data === 'object' && data !== null && typeof (data as { type?: unknown }).type === 'string';
}
