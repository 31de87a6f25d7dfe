/**
 * apt_preference, as Chef's resource does it: :add makes /etc/apt/preferences.d (mode 0755),
 * deletes the files older apt cookbooks wrote (`<package_name>.pref` when the name had to be
 * sanitised, and `<package_name>` without extension), then writes `<safe name>.pref` (0644) with
 * `Package: <glob or package_name>\nPin: <pin>\nPin-Priority: <pin_priority>\n`; the safe name
 * turns dots into `_` and `*` into `wildcard`. :remove deletes `<safe name>.pref`.
 * The written file is recorded in the virtual state with its content, so a later package step in
 * the same plan computes apt's candidate with the pin (package.ts reads the preferences files as
 * earlier steps leave them).
 */
import type { PlanChange } from '../../protocol';
import { PropReader, showMode } from '../props';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';

export const APT_PREFERENCE_DIR = '/etc/apt/preferences.d';

/** Chef's safe_name: `.` → `_`, `*` → `wildcard`. */
export function safePrefName(name: string): string {
  return name.replace(/\./g, '_').replace(/\*/g, 'wildcard');
}

interface PrefWant { reader: PropReader; packageName: string; path: string; legacy: string[]; content?: string; missing: string[] }

function want(r: EngineResource): PrefWant {
  const reader = new PropReader(r);
  const packageName = reader.str('package_name') ?? r.name;
  const safe = safePrefName(packageName);
  const legacy = [...(safe !== packageName ? [`${APT_PREFERENCE_DIR}/${packageName}.pref`] : []), `${APT_PREFERENCE_DIR}/${packageName}`];
  const glob = reader.str('glob');
  const pin = reader.str('pin');
  const priority = reader.str('pin_priority');
  const missing = [...(pin === undefined && !reader.has('pin') ? ['pin'] : []), ...(priority === undefined && !reader.has('pin_priority') ? ['pin_priority'] : [])];
  const content = pin !== undefined && priority !== undefined ? `Package: ${glob ?? packageName}\nPin: ${pin}\nPin-Priority: ${priority}\n` : undefined;
  return { reader, packageName, path: `${APT_PREFERENCE_DIR}/${safe}.pref`, legacy, content, missing };
}

/** Records that the preferences file will hold content the plan cannot know (a later package step then says so). */
function unknownContent(ctx: PlanContext, path: string, reason: string): ProviderStep {
  ctx.state.setPath(path, { kind: 'file', by: ctx.resource.id });
  return unknownStep(reason);
}

export const aptPreferenceProvider: Provider = {
  types: ['apt_preference'],
  actions: ['add', 'remove', 'nothing'],
  queries(r) {
    const w = want(r);
    return [{ kind: 'path', path: APT_PREFERENCE_DIR }, { kind: 'path', path: w.path, content: true }, ...w.legacy.map((path) => ({ kind: 'path' as const, path }))];
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (ctx.action === 'nothing') return upToDate();
    if (ctx.action === 'remove') {
      const cur = ctx.state.path(w.path);
      if (!cur.ok) return unknownStep(cur.reason);
      if (cur.value.kind === 'missing') return upToDate();
      ctx.state.setPath(w.path, { kind: 'missing', by: ctx.resource.id });
      return change([{ property: 'path', from: w.path, to: null, message: `would delete ${w.path}` }]);
    }
    if (w.missing.length) return failedStep(`Chef would fail: ${w.missing.join(' and ')} ${w.missing.length > 1 ? 'are' : 'is'} required for action :add`);
    if (w.reader.reasons.length || w.content === undefined) return unknownContent(ctx, w.path, w.reader.reasons.join('; ') || 'pin or pin_priority is not a string');
    if (!/^([a-z]|[A-Z]|[0-9]|_|-|\.|\*|\+)+$/.test(w.packageName)) return failedStep(`Chef would fail: package_name ${JSON.stringify(w.packageName)} does not match /^([a-z]|[A-Z]|[0-9]|_|-|\\.|\\*|\\+)+$/`);
    const changes: PlanChange[] = [];
    // directory '/etc/apt/preferences.d' with mode '0755'.
    const dir = ctx.state.path(APT_PREFERENCE_DIR);
    if (!dir.ok) return unknownContent(ctx, w.path, dir.reason);
    if (dir.value.kind === 'missing') {
      changes.push({ property: 'path', from: null, to: APT_PREFERENCE_DIR, message: `would create directory ${APT_PREFERENCE_DIR}` });
      ctx.state.setPath(APT_PREFERENCE_DIR, { kind: 'directory', owner: 'root', group: 'root', mode: '755', by: ctx.resource.id });
    } else if (dir.value.kind === 'directory' || dir.value.kind === 'link') {
      if (dir.value.kind === 'directory' && dir.value.mode !== '755') {
        changes.push({ property: 'mode', from: showMode(dir.value.mode), to: '0755', message: `would change mode of ${APT_PREFERENCE_DIR} ${showMode(dir.value.mode)} → 0755` });
        ctx.state.setPath(APT_PREFERENCE_DIR, { ...dir.value, mode: '755', by: ctx.resource.id });
      }
    } else return failedStep(`${APT_PREFERENCE_DIR} exists and is not a directory (${dir.value.kind})`);
    // The legacy files older apt cookbooks wrote.
    for (const l of w.legacy) {
      const cur = ctx.state.path(l);
      if (!cur.ok) return unknownContent(ctx, w.path, cur.reason);
      if (cur.value.kind === 'missing') continue;
      if (cur.value.kind === 'directory') return failedStep(`${l} is a directory; Chef's file resource cannot delete it`);
      changes.push({ property: 'path', from: l, to: null, message: `would delete legacy ${l} (replaced by ${w.path})` });
      ctx.state.setPath(l, { kind: 'missing', by: ctx.resource.id });
    }
    const step = planContentFile(ctx, w.path, { mode: '644' }, w.content, 'apt preference');
    if (step.status === 'unknown') return unknownContent(ctx, w.path, step.reason ?? `${w.path} cannot be planned`);
    if (step.status !== 'change' && step.status !== 'up-to-date') return step;
    return change([...changes, ...step.changes], { ...(step.diff ? { diff: step.diff } : {}), ...(step.content ? { content: step.content } : {}),
      ...(step.reason ? { reason: step.reason } : {}), ...(step.assumptions?.length ? { assumptions: step.assumptions } : {}) });
  },
  apply(ctx) {
    const w = want(ctx.resource);
    if (ctx.action === 'remove') return { script: `rm -f ${shQuote(w.path)}` };
    if (w.content === undefined) throw new Error(`cannot write ${w.path}: pin or pin_priority is unknown`);
    const d = shQuote(APT_PREFERENCE_DIR);
    return {
      script: [`set -e`, `[ -d ${d} ] || mkdir ${d}`, `chmod 0755 ${d}`, ...w.legacy.map((l) => `rm -f ${shQuote(l)}`), writeFileScript(w.path, { mode: '644' })].join('\n'),
      stdin: w.content,
    };
  },
};
