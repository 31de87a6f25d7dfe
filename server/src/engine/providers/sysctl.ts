/**
 * sysctl (sysctl_param): a kernel parameter and its file `CONF_DIR/99-chef-KEY.conf`, as Chef's
 * resource does it. Chef counts it up to date when `sysctl -n -e KEY` equals the value written in
 * /etc/sysctl.d/99-chef-KEY.conf (always that directory) and the wanted value, and `conf_dir` is
 * its default (Chef compares a conf_dir given elsewhere with that default, so such a resource
 * converges on every run). :apply runs `sysctl -w "KEY=VALUE"` first, then creates the
 * directory, writes the file and runs `sysctl -p`; :remove deletes the file and runs `sysctl -p`.
 *
 * In an unprivileged container /proc/sys is mounted read-only, so `sysctl -w` fails, and so
 * would Chef: the plan reads whether the parameter's file is writable and says the step fails,
 * with why, before anything is written (as in Chef, whose first command fails) — a kernel
 * parameter the container cannot set is never counted as set. The converge checks again: when
 * `sysctl -w` fails, the step fails with the same explanation.
 */
import { posix } from 'node:path';
import type { PlanChange } from '../../protocol';
import { probeableSysctlKey, sysctlPath, type Query } from '../probeScript';
import { prop, PropReader } from '../props';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';

/** Chef's default conf_dir, and the directory its current-value check always reads. */
const DEFAULT_CONF_DIR = '/etc/sysctl.d';

function want(r: EngineResource) {
  const reader = new PropReader(r);
  const key = reader.str('key') ?? r.name;
  const v = prop(r, 'value');
  if (v && !v.known) reader.reasons.push(v.reason);
  // Chef's coerce: an array is joined with spaces, anything else is to_s.
  const value = v?.known ? (Array.isArray(v.value) ? v.value.map((x) => String(x)).join(' ') : String(v.value)) : undefined;
  const confDir = reader.str('conf_dir') ?? DEFAULT_CONF_DIR;
  const fileName = `99-chef-${key.replace(/\//g, '.')}.conf`;
  return {
    reader, key, value, confDir, comment: reader.list('comment') ?? [], ignoreError: reader.bool('ignore_error') ?? false,
    file: posix.join(confDir, fileName), checkFile: posix.join(DEFAULT_CONF_DIR, fileName),
  };
}
type Want = ReturnType<typeof want>;

/** The file Chef writes: the comments, then `KEY = VALUE`. */
function fileContent(w: Want): string {
  return [...w.comment.map((c) => `# ${c.trim()}`), `${w.key} = ${w.value}`].join('\n') + '\n';
}

/** What :apply will run, kept from the plan for apply. */
interface ApplyData { writeFile: boolean; content: string; mkdir: boolean }
const planned = new WeakMap<ProviderStep, ApplyData>();

/** `sysctl` is there, or an earlier package install may bring it (procps), or Chef would fail. */
function sysctlCommand(ctx: PlanContext): { failed?: string; unknown?: string; assumption?: string } {
  const k = ctx.state.system('which:sysctl');
  if (!k.ok) return { unknown: k.reason };
  if (k.value.v?.[0]) return {};
  if (ctx.state.installs.length) return { assumption: `assuming the sysctl command (package procps) is installed by ${ctx.state.installs.join(', ')}, installed earlier` };
  return { failed: 'Chef runs `sysctl`, and the container has no sysctl command (install package procps first)' };
}

/** Chef's reload (`sysctl -p` reads /etc/sysctl.conf) fails when that file is missing. */
function reloadCheck(ctx: PlanContext): { failed?: string; unknown?: string; assumption?: string } {
  const k = ctx.state.path('/etc/sysctl.conf');
  if (!k.ok) return { unknown: k.reason };
  if (k.value.kind !== 'missing') return {};
  if (ctx.state.installs.length) return { assumption: `assuming /etc/sysctl.conf (package procps) is installed by ${ctx.state.installs.join(', ')}, installed earlier` };
  return { failed: 'Chef then runs `sysctl -p`, which fails: /etc/sysctl.conf does not exist' };
}

function planApply(ctx: PlanContext, w: Want): ProviderStep {
  if (w.value === undefined) return failedStep('value is required for action :apply');
  const reading = ctx.state.system(`sysctl:${w.key}`);
  if (!reading.ok) return unknownStep(reading.reason);
  const r = reading.value;
  const cmd = sysctlCommand(ctx);
  if (cmd.unknown) return unknownStep(cmd.unknown);
  if (cmd.failed) return failedStep(cmd.failed);
  const assumptions = cmd.assumption ? [cmd.assumption] : [];
  const current = r.missing || r.unreadable ? undefined : (r.v ?? []).join('\n').trim();
  const check = ctx.state.path(w.checkFile);
  if (!check.ok) return unknownStep(check.reason);
  if (check.value.kind !== 'missing' && check.value.content === undefined) return unknownStep(`${w.checkFile} exists but its content could not be read`);
  const written = check.value.kind === 'missing' ? undefined : /(.*) = (.*)/.exec(check.value.content ?? '')?.[2];
  if (!cmd.assumption && current !== undefined && written === current && current === w.value && w.confDir === DEFAULT_CONF_DIR) {
    return upToDate(`${w.key} is ${w.value}, as ${w.checkFile} says`);
  }
  const path = sysctlPath(w.key);
  if (r.missing && !w.ignoreError) return failedStep(`kernel parameter ${w.key} does not exist (${path} is missing): \`sysctl -w\` fails with "cannot stat"`);
  if (!r.missing && r.writable?.[0] !== '1') {
    const ro = (r.procsys?.[0] ?? '').split(',').includes('ro');
    return failedStep(ro
      ? `the container cannot set kernel parameter ${w.key}: /proc/sys is read-only in an unprivileged container, so \`sysctl -w\` fails with "permission denied" (Chef fails here too). A privileged container can set it; \`docker run --sysctl\` sets the namespaced ones (net.*) when the container is created`
      : `kernel parameter ${w.key} cannot be set: ${path} is not writable, so \`sysctl -w\` fails`);
  }
  const reload = reloadCheck(ctx);
  if (reload.unknown) return unknownStep(reload.unknown);
  if (reload.failed) return failedStep(reload.failed);
  if (reload.assumption) assumptions.push(reload.assumption);

  const changes: PlanChange[] = [];
  const notes: string[] = [];
  if (r.missing) notes.push(`kernel parameter ${w.key} does not exist; \`sysctl -e\` (ignore_error) ignores it`);
  else if (current !== w.value) changes.push({ property: 'value', from: current ?? null, to: w.value, message: `would set ${w.key} ${current ?? '(unreadable)'} → ${w.value}` });
  else changes.push({ property: 'value', from: current, to: w.value, message: `would set ${w.key} to ${w.value} again (sysctl -w), as Chef does when its file does not say so` });
  if (w.confDir !== DEFAULT_CONF_DIR) notes.push(`Chef compares conf_dir ${w.confDir} with its default ${DEFAULT_CONF_DIR}, so it converges this resource on every run`);
  // Chef's `directory conf_dir` (not recursive).
  const dir = ctx.state.path(w.confDir);
  if (!dir.ok) return unknownStep(dir.reason);
  const mkdir = dir.value.kind === 'missing';
  if (mkdir) {
    const parent = ctx.state.dirStatus(posix.dirname(w.confDir));
    if ('reason' in parent) return unknownStep(parent.reason);
    if (!parent.is) return failedStep(`parent directory ${posix.dirname(w.confDir)} of conf_dir ${w.confDir} does not exist`);
    if (parent.assumption) assumptions.push(parent.assumption);
    changes.push({ property: 'conf_dir', from: null, to: w.confDir, message: `would create directory ${w.confDir}` });
    ctx.state.setPath(w.confDir, { kind: 'directory', owner: 'root', group: 'root', mode: '755', by: ctx.resource.id });
  } else if (dir.value.kind !== 'directory' && dir.value.kind !== 'link') return failedStep(`conf_dir ${w.confDir} exists and is not a directory`);
  const content = fileContent(w);
  const file = planContentFile(ctx, w.file, {}, content, 'file');
  if (file.status === 'failed' || file.status === 'unknown') return file;
  changes.push(...file.changes);
  assumptions.push(...(file.assumptions ?? []));
  changes.push({ property: 'reload', from: null, to: 'sysctl -p', message: `would reload with \`sysctl ${w.ignoreError ? '-e ' : ''}-p\`` });
  ctx.state.setSystem(`sysctl:${w.key}`, r.missing ? r : { ...r, v: [w.value] });
  const step = change(changes, { diff: file.diff, content: file.content, reason: notes.join('; ') || undefined, ...(assumptions.length ? { assumptions } : {}) });
  planned.set(step, { writeFile: file.status === 'change', content, mkdir });
  return step;
}

export const sysctlProvider: Provider = {
  types: ['sysctl', 'sysctl_param'],
  actions: ['apply', 'remove', 'nothing'],
  queries(r) {
    const w = want(r);
    if (!probeableSysctlKey(w.key)) return [];
    const qs: Query[] = [
      { kind: 'system', name: `sysctl:${w.key}` }, { kind: 'system', name: 'which:sysctl' },
      { kind: 'path', path: w.file, content: true }, { kind: 'path', path: w.checkFile, content: true },
      { kind: 'path', path: w.confDir }, { kind: 'path', path: posix.dirname(w.confDir) }, { kind: 'path', path: '/etc/sysctl.conf' },
    ];
    return qs;
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (!probeableSysctlKey(w.key)) return unknownStep(`${JSON.stringify(w.key)} is not a kernel parameter name the plan can read`);
    if (ctx.action === 'apply') return planApply(ctx, w);
    // :remove — only when the file is there.
    const f = ctx.state.path(w.file);
    if (!f.ok) return unknownStep(f.reason);
    if (f.value.kind === 'missing') return upToDate(`${w.file} does not exist`);
    const cmd = sysctlCommand(ctx);
    if (cmd.unknown) return unknownStep(cmd.unknown);
    if (cmd.failed) return failedStep(cmd.failed);
    const reload = reloadCheck(ctx);
    if (reload.unknown) return unknownStep(reload.unknown);
    if (reload.failed) return failedStep(reload.failed);
    ctx.state.setPath(w.file, { kind: 'missing', by: ctx.resource.id });
    const assumptions = [cmd.assumption, reload.assumption].filter((a): a is string => Boolean(a));
    return change([
      { property: 'path', from: w.file, to: null, message: `would delete ${w.file}` },
      { property: 'reload', from: null, to: 'sysctl -p', message: 'would reload with `sysctl -p` (the running value stays until the next boot or a new setting)' },
    ], assumptions.length ? { assumptions } : {});
  },
  apply(ctx, step) {
    const w = want(ctx.resource);
    if (ctx.action === 'remove') return { script: `set -e\nrm -f ${shQuote(w.file)}\nsysctl -p` };
    const data = planned.get(step);
    if (!data || w.value === undefined) throw new Error(`cannot apply ${ctx.resource.id}: it was not planned`);
    const e = w.ignoreError ? '-e ' : '';
    const setting = shQuote(`${w.key}=${w.value}`);
    const cannot = shQuote(`cloche: the container cannot set kernel parameter ${w.key}: /proc/sys is read-only in an unprivileged container`);
    const lines = [
      `if ! _out=$(sysctl ${e}-w ${setting} 2>&1); then`,
      '  printf \'%s\\n\' "$_out" >&2',
      `  case ",$(awk '$5 == "/proc/sys" { print $6 }' /proc/self/mountinfo 2>/dev/null)," in *,ro,*) echo ${cannot} >&2 ;; esac`,
      '  exit 1',
      'fi',
      'printf \'%s\\n\' "$_out"',
      data.mkdir ? `[ -d ${shQuote(w.confDir)} ] || mkdir ${shQuote(w.confDir)}` : '',
      data.writeFile ? writeFileScript(w.file, {}) : '',
      `sysctl ${e}-p`,
    ];
    return { script: lines.filter(Boolean).join('\n'), ...(data.writeFile ? { stdin: data.content } : {}) };
  },
};
