/** Turns a compilation into the Graph JSON contract (design.md): resources in converge order, typed edges. */
import type { Diagnostic, Graph, GraphEdge, GraphResource, JsonValue } from '../protocol';
import { toJson, unknown } from '../ruby/values';
import type { Compilation } from './compilation';
import type { Model } from './model';
import { fillDefaults } from './catalog/propertyCheck';

export function toGraph(_model: Model, c: Compilation, runList: string[], diagnostics: Diagnostic[]): Graph {
  const resources: GraphResource[] = [];
  const edges: GraphEdge[] = [];
  // Chef converges in declaration order; compile-time resources (`compile_time true`, `.run_action`)
  // keep their place and carry the compileTime flag; children of custom resources follow their parent.
  for (const r of c.resources) {
    // What the recipe set, then name properties and literal defaults, as Chef fills them in.
    const set = new Map(r.props.map((p) => [p.name, p.value] as const));
    const filled = r.schema ? fillDefaults(r.schema, r.nameUnknown ? unknown(r.nameUnknown, r.nameLoc ?? r.loc) : r.name, set) : set;
    for (const [k, v] of c.customDefaults(r)) if (!set.has(k)) filled.set(k, v);
    const properties: Record<string, JsonValue> = {};
    for (const [k, v] of filled) if (k !== 'name' && v.k !== 'nil') properties[k] = toJson(v);
    for (const p of r.props) properties[p.name] = toJson(p.value);
    resources.push({
      id: r.id,
      type: r.type,
      resolvedType: r.resolvedType,
      name: r.nameUnknown ? { $unknown: r.nameUnknown } : r.nameText,
      actions: r.actionUnknown ? [...r.actions, { $unknown: r.actionUnknown }] : r.actions,
      properties,
      location: r.loc,
      notifies: r.notifications.map((n) => ({
        kind: n.kind,
        action: n.actionUnknown ? { $unknown: n.actionUnknown } : n.action,
        target: n.targetUnknown ? { $unknown: n.targetReason ?? 'the target is not known statically' } : n.target,
        resolved: n.resolved?.id, timing: n.timing, location: n.loc,
      })),
      guards: r.guards,
      origin: r.origin,
      ...(r.conditional ? { conditional: r.conditional } : {}),
      ...(r.repeated ? { repeated: r.repeated } : {}),
      ...(r.parent ? { parent: r.parent } : {}),
      ...(r.parentAction ? { parentAction: r.parentAction } : {}),
      ...(r.custom ? { custom: true } : {}),
      ...(r.compileTime ? { compileTime: true } : {}),
      ...(isSensitive(r) ? { sensitive: true } : {}),
    });
    if (r.parent) edges.push({ from: r.parent, to: r.id, kind: 'contains' });
    for (const n of r.notifications) {
      if (n.targetUnknown && !n.resolved) continue; // no edge to a resource nobody can name
      const to = n.resolved?.id ?? n.target;
      const action = n.actionUnknown ? '«unknown»' : n.action;
      if (n.kind === 'notifies') edges.push({ from: r.id, to, kind: 'notifies', timing: n.timing, action });
      else edges.push({ from: to, to: r.id, kind: 'subscribes', timing: n.timing, action });
    }
  }
  for (const recipe of c.recipes.values()) {
    for (const inc of recipe.includes) edges.push({ from: `recipe[${recipe.id}]`, to: `recipe[${inc}]`, kind: 'include' });
  }
  return {
    platform: c.facts.profile,
    runList,
    recipes: [...c.recipes.values()].map((r) => ({ id: r.id, file: r.file, includes: r.includes })),
    resources,
    edges,
    diagnostics,
  };
}

function isSensitive(r: Compilation['resources'][number]): boolean {
  const s = r.props.find((p) => p.name === 'sensitive');
  return s?.value.k === 'bool' && s.value.v;
}
