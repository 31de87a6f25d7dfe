/**
 * Helpers shared by the providers: step constructors, owner/group/mode planning and applying,
 * and the forward-simulation checks every path-managing resource makes (parent directory exists,
 * owner and group exist — possibly because an earlier step creates them).
 */
import { posix } from 'node:path';
import { shQuote } from '../../containers/driver';
import type { PlanChange } from '../../protocol';
import { showMode } from '../props';
import type { Query } from '../probeScript';
import type { PathInfo, VirtualState } from '../state';
import type { ProviderStep } from '../types';

export { shQuote };

/** A step that would change something. */
export function change(changes: PlanChange[], extra: Partial<ProviderStep> = {}): ProviderStep {
  return { status: changes.length ? 'change' : 'up-to-date', changes, ...extra };
}
/** A step that cannot be planned, with the reason. */
export function unknownStep(reason: string, extra: Partial<ProviderStep> = {}): ProviderStep {
  return { status: 'unknown', reason, changes: [], ...extra };
}
/** A step that Chef would fail on (missing parent directory, missing owner …). */
export function failedStep(reason: string): ProviderStep {
  return { status: 'failed', reason, changes: [] };
}
/** Nothing to do. */
export function upToDate(reason?: string): ProviderStep {
  return { status: 'up-to-date', reason, changes: [] };
}

/** Desired owner/group/mode of a path (undefined: not managed). */
export interface Attrs { owner?: string; group?: string; mode?: string }

/** Probe queries for a path, its parent, and the owner/group it should have. */
export function pathQueries(path: string, attrs: Attrs, content = false): Query[] {
  const qs: Query[] = [{ kind: 'path', path, content }, { kind: 'path', path: posix.dirname(path) }];
  if (attrs.owner && !/^\d+$/.test(attrs.owner)) qs.push({ kind: 'user', name: attrs.owner });
  if (attrs.group && !/^\d+$/.test(attrs.group)) qs.push({ kind: 'group', name: attrs.group });
  return qs;
}

/** Checks that the owner and group exist in the (virtual) state; Chef fails on a missing one. */
export function checkOwnership(state: VirtualState, attrs: Attrs): { failed?: string; unknown?: string; notes: string[] } {
  const notes: string[] = [];
  if (attrs.owner && !/^\d+$/.test(attrs.owner)) {
    const u = state.user(attrs.owner);
    if (!u.ok) return { unknown: u.reason, notes };
    if (!u.value) return { failed: `owner ${attrs.owner} does not exist (and no earlier resource creates it)`, notes };
    if (u.value.by) notes.push(`owner ${attrs.owner} is created earlier by ${u.value.by}`);
  }
  if (attrs.group && !/^\d+$/.test(attrs.group)) {
    const g = state.group(attrs.group);
    if (!g.ok) return { unknown: g.reason, notes };
    if (!g.value) return { failed: `group ${attrs.group} does not exist (and no earlier resource creates it)`, notes };
    if (g.value.by) notes.push(`group ${attrs.group} is created earlier by ${g.value.by}`);
  }
  return { notes };
}

/** Checks the parent directory of a path that is about to be created. */
export function checkParent(state: VirtualState, path: string): { failed?: string; unknown?: string; assumption?: string; note?: string } {
  const parent = posix.dirname(path);
  const d = state.dirStatus(parent);
  if ('reason' in d) return { unknown: d.reason };
  if (!d.is) return { failed: `parent directory ${parent} does not exist (and no earlier resource creates it)` };
  const p = state.path(parent);
  return { assumption: d.assumption, note: p.ok && p.value.by ? `parent ${parent} is created earlier by ${p.value.by}` : undefined };
}

/** Owner/group/mode changes of an existing path (or of a new one: from null). */
export function attrChanges(path: string, cur: PathInfo | undefined, want: Attrs): PlanChange[] {
  const out: PlanChange[] = [];
  const exists = cur && cur.kind !== 'missing';
  if (want.mode !== undefined && (!exists || cur.mode !== want.mode)) {
    out.push({ property: 'mode', from: exists ? showMode(cur.mode) : null, to: showMode(want.mode),
      message: exists ? `would change mode of ${path} ${showMode(cur.mode)} → ${showMode(want.mode)}` : `would set mode ${showMode(want.mode)}` });
  }
  if (want.owner !== undefined && (!exists || cur.owner !== want.owner)) {
    out.push({ property: 'owner', from: exists ? cur.owner ?? null : null, to: want.owner,
      message: exists ? `would change owner of ${path} ${cur.owner} → ${want.owner}` : `would set owner ${want.owner}` });
  }
  if (want.group !== undefined && (!exists || cur.group !== want.group)) {
    out.push({ property: 'group', from: exists ? cur.group ?? null : null, to: want.group,
      message: exists ? `would change group of ${path} ${cur.group} → ${want.group}` : `would set group ${want.group}` });
  }
  return out;
}

/** Shell lines that set owner/group/mode on `target` (a quoted path or a shell variable). */
export function attrScript(target: string, want: Attrs): string {
  const lines: string[] = [];
  if (want.owner || want.group) lines.push(`chown ${want.owner ? shQuote(want.owner) : ''}${want.group ? `:${shQuote(want.group)}` : ''} ${target}`);
  if (want.mode) lines.push(`chmod ${want.mode.padStart(4, '0')} ${target}`);
  return lines.join('\n');
}

/** The path state after a step applies `want` over `cur`. */
export function afterAttrs(cur: PathInfo | undefined, want: Attrs, by: string, kind: PathInfo['kind']): PathInfo {
  const base: PathInfo = cur && cur.kind !== 'missing' ? { ...cur } : { kind, owner: 'root', group: 'root', mode: kind === 'directory' ? '755' : '644' };
  return { ...base, kind, by, ...(want.owner ? { owner: want.owner } : {}), ...(want.group ? { group: want.group } : {}), ...(want.mode ? { mode: want.mode } : {}) };
}
