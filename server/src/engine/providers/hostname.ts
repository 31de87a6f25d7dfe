/**
 * hostname :set on Linux, as Chef's resource does it, in its order:
 *
 * 1. `/bin/hostname NAME` unless `hostname` already answers NAME. This needs CAP_SYS_ADMIN,
 *    which an unprivileged container lacks (its runtime sets the hostname: `docker run
 *    --hostname`): the plan reads the capability and says the step fails, with why, before
 *    anything is written — as Chef fails on this first command. A hostname the container cannot
 *    take is never counted as set.
 * 2. When `ipaddress` is known: the line `IP [FQDN] NAME [ALIASES] SHORT` in /etc/hosts, replacing
 *    the lines that match `^IP\s+|\s+NAME\s+` (Chef's unescaped regex), unless the file already has
 *    that line. Its default is `node['ipaddress']` (Ohai's address of the default interface),
 *    which the engine does not read from the container: without `ipaddress` the step is unknown.
 * 3. The hostname file: `hostnamectl set-hostname` when /usr/bin/hostnamectl exists outside Docker
 *    (not planned: unknown), else /etc/hostname, /etc/sysconfig/network (HOSTNAME=), /etc/HOSTNAME,
 *    /etc/conf.d/hostname, or /etc/sysctl.conf (kernel.hostname=), the first that exists.
 *
 * Files are root-owned 0644; under Docker (/.dockerenv, what Ohai reads) /etc/hosts and
 * /etc/hostname are rewritten in place, since the runtime bind-mounts them (Chef's
 * `atomic_update false`). Ohai's reload does not apply here: the run's facts stay as read.
 */
import type { PlanChange, PlanContent } from '../../protocol';
import { PropReader } from '../props';
import type { Query } from '../probeScript';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, type Attrs } from './common';
import { planContentFile, writeFileScript } from './file';
import { compileRubyRegex, RegexUnsupported } from '../../ruby/core/regexRe2';

/** Files that say which branch Chef takes for the hostname file, in its order. */
const HOSTNAME_FILES = ['/etc/hostname', '/etc/sysconfig/network', '/etc/HOSTNAME', '/etc/conf.d/hostname', '/etc/sysctl.conf'];
/** A name Chef can pass unquoted to `/bin/hostname` (it interpolates it into a shell command). */
const PLAIN_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

function want(r: EngineResource) {
  const reader = new PropReader(r);
  return {
    reader, hostname: reader.str('hostname') ?? r.name, fqdn: reader.str('fqdn'), ipaddress: reader.str('ipaddress'),
    aliases: reader.list('aliases'),
  };
}
type Want = ReturnType<typeof want>;

/** A file the step writes. */
interface FileWrite { path: string; content: string; inPlace: boolean; attrs: Attrs }
/** What the apply runs, kept from the plan. */
interface ApplyData { setHostname: boolean; files: FileWrite[] }
const planned = new WeakMap<ProviderStep, ApplyData>();

/** Ruby's `text.split("\n")`: trailing empty strings dropped. */
function rubyLines(text: string): string[] {
  const lines = text.split('\n');
  while (lines.length && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** Chef's append_replacing_matching_lines: the lines not matching `re`, then `line`; undefined when the file already has it. */
function appendReplacing(text: string, re: { test(s: string): boolean }, line: string): string | undefined {
  const lines = rubyLines(text);
  if (lines.includes(line)) return undefined;
  return [...lines.filter((l) => !re.test(l)), line].join('\n') + '\n';
}

/** Whether `p` exists in the state (unknown: the reason). */
function exists(ctx: PlanContext, p: string): boolean | string {
  const k = ctx.state.path(p);
  return k.ok ? k.value.kind !== 'missing' : k.reason;
}

/** The text of a file Chef reads to edit (IO.read: it fails when the file is missing). */
function readText(ctx: PlanContext, p: string): { text?: string; failed?: string; unknown?: string } {
  const k = ctx.state.path(p);
  if (!k.ok) return { unknown: k.reason };
  if (k.value.kind === 'missing') return { failed: `Chef reads ${p} to edit it, and it does not exist` };
  if (k.value.content === undefined) return { unknown: `${p} exists but its content could not be read` };
  return { text: k.value.content };
}

/** The hostname file Chef would write on Linux (step 3), or why not. */
function hostnameFile(ctx: PlanContext, w: Want, docker: boolean): { write?: FileWrite; none?: true; failed?: string; unknown?: string } {
  const root: Attrs = { owner: 'root', group: ctx.facts.rootGroup ?? 'root', mode: '644' };
  const ctl = exists(ctx, '/usr/bin/hostnamectl');
  if (typeof ctl === 'string') return { unknown: ctl };
  if (ctl && !docker) return { unknown: `Chef would run \`hostnamectl set-hostname ${w.hostname}\` here (/usr/bin/hostnamectl exists and this is not a Docker container); Cloche does not plan hostnamectl` };
  for (const p of HOSTNAME_FILES) {
    const e = exists(ctx, p);
    if (typeof e === 'string') return { unknown: e };
    if (!e && p !== '/etc/sysctl.conf') continue;
    const plain = (content: string): { write: FileWrite } => ({ write: { path: p, content, inPlace: docker && p === '/etc/hostname', attrs: root } });
    switch (p) {
      case '/etc/hostname': case '/etc/HOSTNAME': return plain(`${w.hostname}\n`);
      case '/etc/conf.d/hostname': return plain(`hostname="${w.hostname}"\n`);
      default: {
        if (p === '/etc/sysconfig/network') {
          const k = ctx.state.path(p);
          if (k.ok && k.value.kind !== 'file') continue; // Chef's File.file?
        }
        const t = readText(ctx, p);
        if (t.failed || t.unknown) return t;
        const [re, line] = p === '/etc/sysconfig/network' ? [/^HOSTNAME\s*=/, `HOSTNAME=${w.hostname}`] : [/^\s+kernel\.hostname\s+=/, `kernel.hostname=${w.hostname}`];
        const next = appendReplacing(t.text!, re, line);
        return next === undefined ? { none: true } : { write: { path: p, content: next, inPlace: false, attrs: root } };
      }
    }
  }
  return { none: true };
}

function planSet(ctx: PlanContext, w: Want): ProviderStep {
  if (ctx.facts.os && ctx.facts.os !== 'linux') return unknownStep(`hostname on ${ctx.facts.os} is not planned by Cloche`);
  if (!PLAIN_NAME.test(w.hostname)) return unknownStep(`hostname ${JSON.stringify(w.hostname)}: Chef passes it unquoted to a shell (\`/bin/hostname …\`); not planned`);
  const readings = ['hostname', 'cap_sys_admin', 'docker'].map((n) => ctx.state.system(n));
  const bad = readings.find((k) => !k.ok);
  if (bad && !bad.ok) return unknownStep(bad.reason);
  const [current, cap, dockerEnv] = readings.map((k) => (k.ok ? k.value.v?.[0] : undefined));
  const docker = dockerEnv === '1';
  const changes: PlanChange[] = [];
  const data: ApplyData = { setHostname: false, files: [] };
  // 1. /bin/hostname NAME, unless `hostname` says so already.
  if (current !== w.hostname) {
    const bin = exists(ctx, '/bin/hostname');
    if (typeof bin === 'string') return unknownStep(bin);
    if (!bin) return failedStep(`Chef runs /bin/hostname ${w.hostname}, and the container has no /bin/hostname (package hostname)`);
    if (cap === undefined) return unknownStep('the probe could not read whether the container has CAP_SYS_ADMIN (needed by `hostname NAME`)');
    if (cap !== '1') {
      return failedStep(`the container cannot set its hostname to ${w.hostname}: \`hostname ${w.hostname}\` needs CAP_SYS_ADMIN, which an unprivileged container lacks (Chef fails here too). ` +
        `The container runtime sets the hostname: \`docker run --hostname ${w.hostname}\`, or kitchen's hostname setting`);
    }
    changes.push({ property: 'hostname', from: current ?? null, to: w.hostname, message: `would set the hostname ${current} → ${w.hostname} (/bin/hostname)` });
    data.setHostname = true;
    ctx.state.setSystem('hostname', { v: [w.hostname] });
  }
  const writes: FileWrite[] = [];
  // 2. The /etc/hosts line.
  if (w.ipaddress === undefined) {
    return unknownStep(`the /etc/hosts line needs ipaddress, whose default is node['ipaddress'] (Ohai's address of the default interface), which the engine does not read from the container: set ipaddress to plan this step`, { changes });
  }
  const shortName = /^[^.]*/.exec(w.hostname)![0];
  const line = [w.ipaddress, ...(w.fqdn ? [w.fqdn] : []), w.hostname, ...(w.aliases?.length ? [w.aliases.join(' ')] : []), shortName].join(' ');
  const hosts = readText(ctx, '/etc/hosts');
  if (hosts.unknown) return unknownStep(hosts.unknown);
  if (hosts.failed) return failedStep(hosts.failed);
  // Chef builds a Ruby regexp from the recipe's values; it runs as the evaluator runs recipe regexps (linear time).
  let nextHosts: string | undefined;
  try { nextHosts = appendReplacing(hosts.text!, compileRubyRegex(`^${w.ipaddress}\\s+|\\s+${w.hostname}\\s+`, ''), line); } catch (e) {
    if (!(e instanceof RegexUnsupported)) throw e;
    return unknownStep(`ipaddress ${JSON.stringify(w.ipaddress)} makes a regular expression (Chef builds one from it) that Cloche does not run: ${e.reason}`);
  }
  if (nextHosts !== undefined) writes.push({ path: '/etc/hosts', content: nextHosts, inPlace: docker, attrs: { owner: 'root', group: ctx.facts.rootGroup ?? 'root', mode: '644' } });
  // 3. The hostname file.
  const hf = hostnameFile(ctx, w, docker);
  if (hf.unknown) return unknownStep(hf.unknown, { changes });
  if (hf.failed) return failedStep(hf.failed);
  if (hf.write) writes.push(hf.write);
  const diffs: string[] = [];
  const assumptions: string[] = [];
  let content: PlanContent | undefined;
  for (const f of writes) {
    const s = planContentFile(ctx, f.path, f.attrs, f.content, 'file');
    if (s.status === 'failed' || s.status === 'unknown') return s;
    assumptions.push(...(s.assumptions ?? []));
    if (s.status !== 'change') continue;
    changes.push(...s.changes);
    if (s.diff) diffs.push(s.diff);
    content ??= s.content;
    data.files.push(f);
  }
  const step = change(changes, { ...(diffs.length ? { diff: diffs.join('\n') } : {}), ...(content ? { content } : {}), ...(assumptions.length ? { assumptions } : {}) });
  planned.set(step, data);
  return step;
}

export const hostnameProvider: Provider = {
  types: ['hostname'],
  actions: ['set', 'nothing'],
  queries(_r, facts): Query[] {
    return [
      { kind: 'user', name: 'root' }, { kind: 'group', name: facts.rootGroup ?? 'root' },
      { kind: 'system', name: 'hostname' }, { kind: 'system', name: 'cap_sys_admin' }, { kind: 'system', name: 'docker' },
      { kind: 'path', path: '/bin/hostname' }, { kind: 'path', path: '/usr/bin/hostnamectl' }, { kind: 'path', path: '/etc/hosts', content: true },
      ...HOSTNAME_FILES.map((path) => ({ kind: 'path' as const, path, content: true })), { kind: 'path', path: '/etc' },
    ];
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    return planSet(ctx, w);
  },
  apply(ctx, step) {
    const w = want(ctx.resource);
    const data = planned.get(step);
    if (!data) throw new Error(`cannot apply ${ctx.resource.id}: it was not planned`);
    const lines: string[] = ['set -e'];
    if (data.setHostname) {
      const cannot = shQuote(`cloche: the container cannot set its hostname to ${w.hostname}: hostname needs CAP_SYS_ADMIN, which an unprivileged container lacks`);
      lines.push(`[ "$(hostname)" = ${shQuote(w.hostname)} ] || /bin/hostname ${shQuote(w.hostname)} || { echo ${cannot} >&2; exit 1; }`);
    }
    for (const f of data.files) lines.push(writeFileScript(f.path, f.attrs, { bytes: Buffer.byteLength(f.content), inPlace: f.inPlace }));
    const stdin = data.files.map((f) => f.content).join('');
    return { script: lines.join('\n'), ...(stdin ? { stdin } : {}) };
  },
};
