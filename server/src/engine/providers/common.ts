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

/** Whether an account a step needs will be there: see {@link needAccount}. */
export interface AccountCheck { failed?: string; unknown?: string; note?: string; assumption?: string }

/**
 * Whether the user or group a step needs (`label` names it: "owner app", "member app of group web") exists when the
 * step runs: it exists; an earlier step creates it (a note); a package installed earlier in the
 * run may create it — packages create system accounts (chrony's `_chrony`, redis-server's
 * `redis`) that the simulation cannot see, so the step assumes it, naming those packages; or it
 * is missing and Chef would fail. At converge the machine is probed again after each package
 * install, so the assumption is then checked for real.
 */
export function needAccount(state: VirtualState, kind: 'user' | 'group', name: string, label = `${kind} ${name}`): AccountCheck {
  const k = kind === 'user' ? state.user(name) : state.group(name);
  if (!k.ok) return { unknown: k.reason };
  if (k.value) return k.value.by ? { note: `${label} is created earlier by ${k.value.by}` } : {};
  if (state.installs.length) {
    return { assumption: `assuming ${kind} ${name} is created by ${state.installs.join(', ')}, installed earlier in this run (what a package creates cannot be simulated)` };
  }
  const unnamed = state.unnamed[kind];
  if (unnamed.length) return { unknown: `${label} does not exist now, and ${unnamed.slice(0, 3).join(', ')}${unnamed.length > 3 ? ' …' : ''}, whose name is not known, may create it` };
  return { failed: `${label} does not exist (and no earlier resource creates it)` };
}

/** Checks that the owner and group exist in the (virtual) state; Chef fails on a missing one. */
export function checkOwnership(state: VirtualState, attrs: Attrs): { failed?: string; unknown?: string; notes: string[]; assumptions: string[] } {
  const notes: string[] = [];
  const assumptions: string[] = [];
  for (const [kind, name, role] of [['user', attrs.owner, 'owner'], ['group', attrs.group, 'group']] as const) {
    if (!name || /^\d+$/.test(name)) continue;
    const c = needAccount(state, kind, name, `${role} ${name}`);
    if (c.unknown) return { unknown: c.unknown, notes, assumptions };
    if (c.failed) return { failed: c.failed, notes, assumptions };
    if (c.note) notes.push(c.note);
    if (c.assumption) assumptions.push(c.assumption);
  }
  return { notes, assumptions };
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
