/** Rules about files a cookbook must ship: template and cookbook_file sources. */
import { findSource, newSourcePath, sourceRequest } from '../cookbookFiles';
import { type Rule, diag } from './ruleTypes';
import type { Diagnostic } from '../../protocol';
import type { ResourceDecl } from '../resourceDecl';

export const missingSource: Rule = {
  code: 'missing-template',
  explanation: 'A template or cookbook_file whose source file is not in the cookbook for the platform.',
  run({ compilation, incompleteCookbooks }) {
    const out: Diagnostic[] = [];
    for (const r of compilation.resources) {
      const req = sourceRequest(r);
      if (!req) continue;
      const cb = compilation.cookbook(req.cookbook);
      if (!cb) continue; // a cookbook outside the workspace (reported once as a missing dependency)
      if (req.names.some((n) => findSource(cb, req.kind, n, compilation.facts))) continue;
      if (incompleteCookbooks.has(cb.name) && req.cookbook !== r.cookbook) continue;
      const srcProp = r.props.find((p) => p.name === 'source');
      const code = req.kind === 'templates' ? 'missing-template' : 'missing-cookbook-file';
      const what = req.kind === 'templates' ? 'Template' : 'Cookbook file';
      const create = newSourcePath(cb, req.kind, req.names[0]);
      const templateVariables = req.kind === 'templates' ? variableNames(r) : [];
      out.push(diag(srcProp?.valueLoc ?? r.loc, 'error', code,
        `${what} '${req.names.join("' or '")}' not found in ${cb.name}/${req.kind}/ for ${compilation.facts.profile}.`, { data: create ? { create, ...(templateVariables.length ? { templateVariables } : {}) } : undefined }));
    }
    return out;
  },
};

/** The keys of a template's `variables` that name instance variables (`port:` → `@port`); none when the hash is not known. */
function variableNames(r: ResourceDecl): string[] {
  const v = r.props.find((p) => p.name === 'variables')?.value;
  if (v?.k !== 'hash') return [];
  return [...v.map.values()].map((e) => (e.key.k === 'sym' || e.key.k === 'str' ? e.key.v : '')).filter((k) => /^[A-Za-z_]\w*$/.test(k));
}
