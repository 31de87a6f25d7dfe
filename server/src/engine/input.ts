/**
 * Engine input from JSON: `{ resources, contents?, facts? }` (a Graph with rendered contents, as
 * `cloche graph --format json` and the test fixtures write it). Cookbooks go through the model.
 */
import type { GraphResource, JsonValue } from '../protocol';
import type { PlatformFacts } from '../chef/platforms';
import { type ContentResult, type EngineInput, type EngineResource, toEngineResource, UNKNOWN_ACTION } from './types';

/** The JSON form of an EngineInput: contents are strings or `{ $unknown: reason }`. */
export interface EngineInputJson {
  resources: GraphResource[];
  contents?: Record<string, string | { $unknown: string }>;
  facts?: PlatformFacts;
}

/** Builds an EngineInput from its JSON form; throws with a clear message when it is not one. */
export function engineInputFromJson(json: unknown): EngineInput {
  const j = json as EngineInputJson;
  if (!j || typeof j !== 'object' || !Array.isArray(j.resources)) throw new Error('not an engine input: expected { "resources": [...] }');
  const contents = j.contents ?? {};
  return {
    resources: j.resources.map((r) => (typeof r.name === 'string' && !('unknownName' in r) ? toEngineResource(r) : toEngineResource(r))),
    facts: j.facts,
    contentOf(id: string): ContentResult {
      const c = contents[id];
      if (c === undefined) return undefined;
      return typeof c === 'string' ? { content: c } : { unknown: c.$unknown };
    },
  };
}

/** Serializes an input (for `--dump-input` and fixtures). */
export function engineInputToJson(input: EngineInput): EngineInputJson {
  const contents: Record<string, string | { $unknown: string }> = {};
  for (const r of input.resources) {
    const c = input.contentOf(r.id);
    if (c) contents[r.id] = 'content' in c ? c.content : { $unknown: c.unknown };
  }
  return { resources: input.resources.map(toGraphResource), contents, facts: input.facts };
}

/** Back to the graph contract: unknown names and actions as markers again. */
function toGraphResource(r: EngineResource): GraphResource {
  const { unknownName, unknownActions, ...rest } = r;
  return {
    ...rest,
    name: unknownName ? { $unknown: unknownName } : r.name,
    actions: r.actions.filter((a) => a !== UNKNOWN_ACTION).concat(unknownActions ? [{ $unknown: unknownActions }] as never[] : []),
    notifies: r.notifies.map(({ unknownAction, ...n }) => ({ ...n, action: unknownAction ? { $unknown: unknownAction } : n.action })),
  };
}

/** A JSON value as display text. */
export function showValue(v: JsonValue | undefined): string {
  if (v === null || v === undefined) return '(none)';
  return typeof v === 'string' ? v : JSON.stringify(v);
}
