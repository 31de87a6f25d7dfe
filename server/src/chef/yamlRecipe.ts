/**
 * Chef's YAML recipes (`recipes/*.yml`): a `resources:` list of `{ type, name, …properties }`.
 * Each entry becomes a declaration exactly like its Ruby form, with locations from the YAML source.
 */
import { parseDocument, isMap, isSeq, type Node as YamlNode, LineCounter } from 'yaml';
import type { SourceLocation } from '../protocol';
import { str, fromJson } from '../ruby/values';
import { Env, type EvalCallContext } from '../ruby/interpreter';
import { parseRuby } from '../ruby/prism';
import type { Compilation } from './compilation';
import type { RInstance } from '../ruby/objects';
import { resourceStateOf } from './dsl/resourceDsl';

export function evalYamlRecipe(c: Compilation, file: string, scope: RInstance): void {
  const text = c.model.ws.readFile(file);
  if (text === undefined) return;
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const locOf = (node: YamlNode | null | undefined): SourceLocation => {
    const [start, , end] = node?.range ?? [0, 0, 0];
    const s = lines.linePos(start), e = lines.linePos(end);
    return { file, line: s.line, column: s.col, endLine: e.line, endColumn: e.col };
  };
  for (const err of doc.errors) {
    const p = err.linePos?.[0];
    c.findings.push({ code: 'syntax-error', severity: 'error', message: err.message.split('\n')[0], loc: { file, line: p?.line ?? 1, column: p?.col ?? 1 } });
  }
  const resources = isMap(doc.contents) ? doc.contents.get('resources', true) : undefined;
  if (!isSeq(resources)) {
    if (!doc.errors.length) c.findings.push({ code: 'yaml-recipe-shape', severity: 'error', message: 'A YAML recipe needs a top-level `resources:` list.', loc: locOf(doc.contents as YamlNode) });
    return;
  }
  // Declarations go through the same path as Ruby ones; a tiny Ruby unit gives them an environment.
  const unit = { file, parsed: parseRuby('') };
  const env = new Env(undefined, scope, unit);
  for (const item of resources.items) {
    if (!isMap(item)) continue;
    const json = item.toJSON() as Record<string, unknown>;
    const type = typeof json.type === 'string' ? json.type : undefined;
    const loc = locOf(item as YamlNode);
    if (!type) {
      c.findings.push({ code: 'yaml-recipe-shape', severity: 'error', message: 'Each resource in a YAML recipe needs a `type`.', loc });
      continue;
    }
    const kind = c.resourceKind(type) ?? 'unknown';
    const typeNode = item.items.find((p) => (p.key as { value?: unknown })?.value === 'type')?.value as YamlNode | undefined;
    const ctx: EvalCallContext = {
      interp: c.interp, env, argLocs: [], loc, nameLoc: locOf(typeNode),
      callProc: (p, a) => c.interp.callProc(p, a),
    };
    const ref = c.declare(type, kind, [str(String(json.name ?? ''))], ctx, scope);
    const decl = resourceStateOf(ref)?.decl;
    if (!decl) continue;
    for (const pair of item.items) {
      const key = String((pair.key as { value?: unknown })?.value ?? '');
      if (key === 'type' || key === 'name') continue;
      const value = fromJson((pair.value as { toJSON?: () => unknown })?.toJSON?.() ?? (pair.value as { value?: unknown })?.value);
      const ploc = locOf(pair.key as YamlNode);
      if (key === 'action') {
        const acts = value.k === 'array' ? value.items : [value];
        decl.actions = acts.filter((a) => a.k === 'str').map((a) => (a as { v: string }).v.replace(/^:/, ''));
        if (acts.some((a) => a.k !== 'str')) decl.actionUnknown = 'an action in the YAML recipe is not a string';
        decl.explicitAction = true;
        decl.actionLoc = ploc;
        continue;
      }
      decl.props.push({ name: key, value, loc: ploc, nameLoc: ploc, valueLoc: locOf(pair.value as YamlNode), known: !decl.schema || decl.schema.properties.has(key) });
    }
  }
}
