/**
 * Findings that belong to the caller. A custom resource (or definition) of another cookbook, expanded
 * for a recipe of this one, can go wrong because of the call: its template is looked up in the calling
 * cookbook, a property value passed in is invalid. Such a finding lies in the other cookbook's file,
 * which this cookbook's report does not cover, and the other cookbook cannot see it (no caller there).
 * It is reported again at the call site: the first resource of the expansion chain declared in this
 * cookbook, with the original place as related information.
 */
import * as path from 'node:path';
import type { Diagnostic } from '../protocol';
import type { Compilation } from './compilation';
import type { ResourceDecl } from './resourceDecl';

/** A finding (`from`, as the run reported it) and the same finding at its call site (`at`). */
export interface MovedFinding { from: Diagnostic; at: Diagnostic }

/**
 * The findings of `diags` outside `inCookbook`'s files that an expansion from this cookbook led to,
 * moved to their call sites. `reportedThere` says whether the defining cookbook reports the finding
 * itself (then it is that cookbook's business, not the caller's).
 */
export function findingsAtCallSites(diags: Diagnostic[], compilation: Compilation, inCookbook: (file: string) => boolean,
  reportedThere: (d: Diagnostic) => boolean): MovedFinding[] {
  const out: MovedFinding[] = [];
  const seen = new Set<string>();
  for (const d of diags) {
    if (inCookbook(d.file)) continue;
    const inner = innermost(compilation.resources, d);
    const site = inner && callSite(compilation.resources, inner, inCookbook);
    // Asked last: it may check the other cookbook's resources on their own (cached, but not cheap).
    if (!inner || !site || reportedThere(d)) continue;
    const at = site.nameLoc ?? site.loc;
    const moved: Diagnostic = {
      file: site.file, line: at.line, column: at.column, endLine: at.endLine ?? at.line, endColumn: at.endColumn ?? at.column + 1,
      severity: d.severity, code: d.code,
      message: `${d.message} (in ${inner.id}, which ${site.id} declares at ${path.basename(path.dirname(d.file))}/${path.basename(d.file)}:${d.line})`,
      related: [{ location: { file: d.file, line: d.line, column: d.column, endLine: d.endLine, endColumn: d.endColumn }, message: 'the finding is here' }],
      // A file to create still fixes it; replacements refer to the other file's text.
      ...(d.data?.create ? { data: { create: d.data.create } } : {}),
    };
    const key = `${moved.file}:${moved.line}:${moved.code}:${moved.message}`;
    if (!seen.has(key)) { seen.add(key); out.push({ from: d, at: moved }); }
  }
  return out;
}

/** The smallest resource declaration of the run that contains the finding. */
function innermost(resources: ResourceDecl[], d: Diagnostic): ResourceDecl | undefined {
  let best: ResourceDecl | undefined;
  for (const r of resources) {
    if (r.file !== d.file || r.loc.line > d.line || (r.loc.endLine ?? r.loc.line) < d.line) continue;
    if (!best || span(r) < span(best)) best = r;
  }
  return best;
}

const span = (r: ResourceDecl) => (r.loc.endLine ?? r.loc.line) - r.loc.line;

/** Up the expansion chain (each child's parent instance) to the first declaration in this cookbook. */
function callSite(resources: ResourceDecl[], from: ResourceDecl, inCookbook: (file: string) => boolean): ResourceDecl | undefined {
  let cur: ResourceDecl | undefined = from;
  for (let depth = 0; cur && depth < 50; depth++) {
    if (inCookbook(cur.file)) return cur;
    const child: ResourceDecl = cur;
    // The parent instance is declared before its children, in the same run-list entry: the closest one.
    cur = child.parent === undefined ? undefined
      : resources.filter((r) => r.id === child.parent && r.runItem === child.runItem && r.seq < child.seq).sort((a, b) => b.seq - a.seq)[0];
  }
  return undefined;
}
