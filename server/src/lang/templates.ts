/**
 * Templates and cookbook files seen from the resources that use them: which `template` resources
 * render a given .erb (for @variable completion and references), and the file a resource's source
 * resolves to (for definition and document links).
 */
import type { ResourceDecl } from '../chef/resourceDecl';
import { propValue } from '../chef/resourceDecl';
import { findSource, sourceRequest } from '../chef/cookbookFiles';
import type { Value } from '../ruby/values';
import type { FileView } from './types';

/** The file a template / cookbook_file resource renders or copies, if it exists in the workspace. */
export function sourceFileOf(view: FileView, r: ResourceDecl): string | undefined {
  const req = sourceRequest(r);
  if (!req) return undefined;
  const cb = view.model.cookbook(req.cookbook);
  if (!cb) return undefined;
  for (const n of req.names) { const f = findSource(cb, req.kind, n, view.facts); if (f) return f; }
  return undefined;
}

/** The resources (of the file's cookbook compilation) that use the given template or cookbook file. */
export function usersOf(view: FileView, file: string): ResourceDecl[] {
  return (view.analysis?.compilation?.resources ?? []).filter((r) => (r.resolvedType === 'template' || r.resolvedType === 'cookbook_file') && sourceFileOf(view, r) === file);
}

export interface TemplateVariable {
  name: string;
  value?: Value;
  /** `template[/etc/x] (recipes/default.rb:12)` for each resource that passes it. */
  users: string[];
}

/** The @variables a template receives from the template resources that render it. */
export function templateVariables(view: FileView): TemplateVariable[] {
  const out = new Map<string, TemplateVariable>();
  for (const r of usersOf(view, view.file)) {
    const vars = propValue(r, 'variables');
    if (vars?.k !== 'hash') continue;
    for (const e of vars.map.values()) {
      const name = e.key.k === 'str' || e.key.k === 'sym' ? e.key.v : undefined;
      if (!name) continue;
      const v = out.get(name) ?? { name, value: e.value, users: [] };
      v.users.push(`${r.id} (${r.file.split('/').slice(-2).join('/')}:${r.loc.line})`);
      out.set(name, v);
    }
  }
  return [...out.values()];
}
