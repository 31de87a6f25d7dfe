/**
 * The engine's own types: its input (the resource collection from the model), the provider
 * contract, and the context a provider plans in. The JSON contracts it produces live in protocol.ts.
 */
import { type GraphResource, type GraphNotification, type JsonValue, type PlanChange, type PlanContent, type StepStatus, isUnknownMarker } from '../protocol';
import type { PlatformFacts } from '../chef/platforms';
import type { SourceTreeFile } from '../chef/fileContent';
import type { VirtualState } from './state';
import type { Query } from './probeScript';

/**
 * Desired content of a file-like resource, as the model rendered it (chef/fileContent.ts): text, with
 * the exact `bytes` of a binary cookbook file; why it is not known (`failed`: Chef would fail for
 * that reason); or a remote_directory's `files`.
 */
export type ContentResult = { content: string; bytes?: Buffer } | { unknown: string; failed?: boolean } | { files: SourceTreeFile[] } | undefined;

/** The action of a resource or notification that cannot be read statically (never planned or applied). */
export const UNKNOWN_ACTION = '«unknown»';

/**
 * A resource as the engine handles it: name and actions as text. When the model could not know the
 * name (`unknownName`) or an action (`UNKNOWN_ACTION`, `unknownActions`), the planner makes the step
 * unknown before any provider sees it, so nothing acts on a guess.
 */
export interface EngineResource extends Omit<GraphResource, 'name' | 'actions' | 'notifies'> {
  name: string;
  actions: string[];
  notifies: (Omit<GraphNotification, 'action' | 'target'> & { action: string; target: string; unknownAction?: string })[];
  unknownName?: string;
  unknownActions?: string;
}

/** The engine's view of a graph resource. */
export function toEngineResource(r: GraphResource): EngineResource {
  const actions = r.actions.map((a) => (isUnknownMarker(a) ? UNKNOWN_ACTION : a));
  const unknownActions = r.actions.find(isUnknownMarker)?.$unknown;
  return {
    ...r,
    name: isUnknownMarker(r.name) ? '«unknown»' : r.name,
    actions,
    notifies: r.notifies.map((n) => ({
      ...n,
      action: isUnknownMarker(n.action) ? UNKNOWN_ACTION : n.action,
      target: isUnknownMarker(n.target) ? '«unknown»' : n.target,
      ...(isUnknownMarker(n.action) ? { unknownAction: n.action.$unknown } : {}),
    })),
    ...(isUnknownMarker(r.name) ? { unknownName: r.name.$unknown } : {}),
    ...(unknownActions ? { unknownActions } : {}),
  };
}

/**
 * What the engine plans and converges: resources in converge order (children of a custom resource
 * follow their parent and carry `parent`), the facts they were compiled for, and file contents.
 */
export interface EngineInput {
  resources: EngineResource[];
  facts?: PlatformFacts;
  contentOf(resourceId: string): ContentResult;
}

/** A provider's verdict for one resource action, before notifications are attached. */
export interface ProviderStep {
  status: StepStatus;
  reason?: string;
  changes: PlanChange[];
  diff?: string;
  /** Both sides of a content change (never for `sensitive` resources); shown with `plan --with-content`. */
  content?: PlanContent;
  assumptions?: string[];
  /**
   * True when the step's effects on the machine cannot be simulated (packages, commands): the
   * converge re-probes after it, and later steps note that they assume its effects.
   */
  opaque?: boolean;
}

/** A shell script that brings the resource to its desired state; `stdin` carries file content. */
export interface ApplyScript {
  script: string;
  stdin?: string;
  /** Seconds; the script runs under `timeout` inside the container (Chef's `timeout` property). */
  timeoutSec?: number;
}

/** Everything a provider may consult while planning. */
export interface PlanContext {
  resource: EngineResource;
  action: string;
  state: VirtualState;
  input: EngineInput;
  facts: PlatformFacts;
}

/**
 * One resource family. `queries` lists what the single probe script must read for this resource
 * (deduplicated across the collection); `plan` compares the desired state with the (virtual)
 * current state and records its planned effects in the state; `apply` returns the converge script.
 */
export interface Provider {
  /** Resource types (DSL names and resolved classes) this provider handles. */
  types: readonly string[];
  /** Actions it can plan; others are planned unknown. */
  actions: readonly string[];
  queries(resource: EngineResource, facts: PlatformFacts): Query[];
  plan(ctx: PlanContext): ProviderStep;
  /** Undefined when there is nothing to run for this action (e.g. `:nothing`). */
  apply(ctx: PlanContext, step: ProviderStep): ApplyScript | undefined;
}

/** Property value helpers' result: a known JSON value, absent, or unknown with a reason. */
export type Prop = { known: true; value: JsonValue } | { known: false; reason: string } | undefined;
