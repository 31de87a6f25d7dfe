/**
 * Engine input from JSON: `{ resources, contents?, facts? }` (a Graph with rendered contents, as
 * `cloche graph --format json` and the test fixtures write it). Cookbooks go through the model.
 */
import type { GraphResource, JsonValue } from '../protocol';
import type { PlatformFacts } from '../chef/platforms';
import { type ContentResult, type EngineInput, type EngineResource, toEngineResource, UNKNOWN_ACTION } from './types';

/**
 * One content in JSON: text, `{ $unknown: reason }`, a binary file's bytes `{ $base64 }`, or a
 * remote_directory's files `{ $files: [{ path, base64 }] }`.
 */
export type ContentJson = string | { $unknown: string } | { $base64: string } | { $files: { path: string; base64: string }[] };

/** The JSON form of an EngineInput. */
export interface EngineInputJson {
  resources: GraphResource[];
  contents?: Record<string, ContentJson>;
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
      if (typeof c === 'string') return { content: c };
      if ('$base64' in c) { const bytes = Buffer.from(c.$base64, 'base64'); return { content: bytes.toString('utf8'), bytes }; }
      if ('$files' in c) return { files: c.$files.map((f) => ({ path: f.path, bytes: Buffer.from(f.base64, 'base64') })) };
      return { unknown: c.$unknown };
    },
  };
}

/** Serializes an input (for `--dump-input` and fixtures). */
export function engineInputToJson(input: EngineInput): EngineInputJson {
  const contents: Record<string, ContentJson> = {};
  for (const r of input.resources) {
    const c = input.contentOf(r.id);
    if (!c) continue;
    if ('files' in c) contents[r.id] = { $files: c.files.map((f) => ({ path: f.path, base64: f.bytes.toString('base64') })) };
    else if ('content' in c) contents[r.id] = c.bytes ? { $base64: c.bytes.toString('base64') } : c.content;
    else contents[r.id] = { $unknown: c.unknown };
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
