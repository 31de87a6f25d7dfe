/**
 * What `service` and `systemd_unit` share: a unit's state as Chef's systemd providers read it
 * (`systemctl show`: ActiveState `active` is running; UnitFileState enabled/static/generated/alias/
 * indirect is enabled, `masked` is masked), each action's decision and its effect on the simulated
 * machine, the scripts that perform it, and — without systemd — the init script fallback or a
 * plain statement that nothing can be known, with what to do.
 */
import type { ServiceInfo } from '../state';
import type { PlanContext, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';

/** What to do when a container cannot run services. */
export const SYSTEMD_ADVICE = 'to run services, use an image with systemd as PID 1: `cloche image build --init systemd`, ' +
  'then `--init systemd` (or kitchen.yml `pid_one_command: /bin/systemd`)';

/** The container has neither systemd nor an init script for the service: nothing can be known about it. */
export function noInitReason(name: string, info: ServiceInfo): string {
  return `the container has no init system (PID 1 is ${info.pid1 || 'unknown'}) and no /etc/init.d/${name} script` +
    `${info.unitFile ? ` (the systemd unit ${info.unitFile} exists, but systemd is not running)` : ''}, ` +
    `so whether ${name} runs cannot be known or changed; ${SYSTEMD_ADVICE}`;
}

type Systemd = NonNullable<ServiceInfo['systemd']>;

/** Unit types systemd knows by suffix; a name without one is a `.service`. */
const UNIT_SUFFIX = /\.(service|socket|device|mount|automount|swap|target|path|timer|slice|scope)$/;

/**
 * Records a planned effect on a service under both of its names (`cron` and `cron.service`), so
 * that a `service` step sees what an earlier `systemd_unit` step did to the same unit and the
 * other way round. The other name keeps its own init script reading.
 */
export function setService(ctx: PlanContext, name: string, info: ServiceInfo): void {
  ctx.state.setService(name, info);
  const other = name.endsWith('.service') ? name.slice(0, -'.service'.length) : UNIT_SUFFIX.test(name) ? undefined : `${name}.service`;
  const cur = other ? ctx.state.service(other) : undefined;
  if (other && cur?.ok) ctx.state.setService(other, { ...cur.value, systemd: info.systemd, by: info.by });
}

/** Chef's reading of the unit file state (Chef::Provider::Service::Systemd, Chef::Provider::SystemdUnit). */
function fileFacts(sd: Systemd): { enabled: boolean; masked: boolean; static: boolean; indirect: boolean } {
  const f = sd.file ?? '';
  const enabled = f === 'bad' ? sd.enabledRc === 0 : ['enabled', 'static', 'generated', 'alias', 'indirect'].includes(f);
  return { enabled, masked: f === 'masked', static: f === 'static', indirect: f === 'indirect' };
}

/** How one action of either resource decides under systemd, and what it leaves behind. */
interface SystemdAction {
  /** systemctl's verb. */
  verb: string;
  /** What the decision reads (unknown after an earlier unmask or preset). */
  reads: 'active' | 'file' | 'nothing';
  /** True: run it; a string: up to date, because … */
  decide(sd: Systemd): true | string;
  /** The unit must exist (systemctl fails on a unit that is not loaded). */
  needsUnit: boolean;
  /** What the state is afterwards; `forget`: fields that become unknown (the converge re-probes). */
  after: Partial<Systemd> | { forget: ('file' | 'active')[] };
}

const active = (sd: Systemd): boolean => sd.active === 'active';
const always = (): true => true;

/** The service resource's actions (Chef::Provider::Service and its systemd provider). */
export const SERVICE_SYSTEMD: Record<string, SystemdAction> = {
  start: { verb: 'start', reads: 'active', decide: (sd) => (active(sd) ? 'it is running (active)' : true), needsUnit: true, after: { active: 'active' } },
  stop: { verb: 'stop', reads: 'active', decide: (sd) => (active(sd) ? true : `it is not running (${sd.active || 'inactive'})`), needsUnit: false, after: { active: 'inactive' } },
  restart: { verb: 'restart', reads: 'nothing', decide: always, needsUnit: true, after: { active: 'active' } },
  reload: { verb: 'reload', reads: 'active', decide: (sd) => (active(sd) ? true : `it is not running (${sd.active || 'inactive'}): Chef reloads only a running service`), needsUnit: true, after: {} },
  enable: {
    verb: 'enable', reads: 'file', needsUnit: true, after: { file: 'enabled' },
    decide: (sd) => {
      const f = fileFacts(sd);
      if (f.masked || f.static || f.indirect) return `it is ${sd.file}: Chef does not enable a ${sd.file} unit`;
      return f.enabled ? `it is enabled (${sd.file})` : true;
    },
  },
  disable: {
    verb: 'disable', reads: 'file', needsUnit: false, after: { file: 'disabled' },
    decide: (sd) => {
      const f = fileFacts(sd);
      if (f.masked || f.static || f.indirect) return `it is ${sd.file}: Chef does not disable a ${sd.file} unit`;
      return f.enabled ? true : `it is not enabled (${sd.file || 'no unit file'})`;
    },
  },
  mask: { verb: 'mask', reads: 'file', decide: (sd) => (fileFacts(sd).masked ? 'it is masked' : true), needsUnit: false, after: { file: 'masked' } },
  unmask: { verb: 'unmask', reads: 'file', decide: (sd) => (fileFacts(sd).masked ? true : 'it is not masked'), needsUnit: false, after: { forget: ['file'] } },
};

/** systemd_unit's actions (Chef::Provider::SystemdUnit): enable/disable differ on masked units, and more verbs. */
export const UNIT_SYSTEMD: Record<string, SystemdAction> = {
  ...SERVICE_SYSTEMD,
  enable: {
    verb: 'enable', reads: 'file', needsUnit: true, after: { file: 'enabled' },
    decide: (sd) => { const f = fileFacts(sd); return f.enabled || f.static || f.indirect ? `it is ${sd.file}` : true; },
  },
  disable: {
    verb: 'disable', reads: 'file', needsUnit: false, after: { file: 'disabled' },
    decide: (sd) => { const f = fileFacts(sd); return f.enabled && !f.static && !f.indirect ? true : `it is ${sd.file || 'not enabled'}`; },
  },
  reload: { ...SERVICE_SYSTEMD.reload, decide: (sd) => (active(sd) ? true : `it is not active (${sd.active || 'inactive'}): Chef skips the reload`) },
  try_restart: { verb: 'try-restart', reads: 'nothing', decide: always, needsUnit: true, after: {} },
  reload_or_restart: { verb: 'reload-or-restart', reads: 'nothing', decide: always, needsUnit: true, after: { active: 'active' } },
  reload_or_try_restart: { verb: 'reload-or-try-restart', reads: 'nothing', decide: always, needsUnit: true, after: {} },
  preset: { verb: 'preset', reads: 'nothing', decide: always, needsUnit: true, after: { forget: ['file'] } },
  revert: { verb: 'revert', reads: 'nothing', decide: always, needsUnit: true, after: { forget: ['file', 'active'] } },
  reenable: { verb: 'reenable', reads: 'nothing', decide: always, needsUnit: true, after: { file: 'enabled' } },
};

/** Why a unit that is not loaded may still exist when the action runs (an earlier step may install it). */
function mayBeInstalled(ctx: PlanContext, info: ServiceInfo): string | undefined {
  if (info.by) return `${info.by} earlier`;
  const before = [...ctx.state.installs, ...ctx.state.opaque.filter((o) => !ctx.state.installs.includes(o))];
  return before.length ? before.join(', ') : undefined;
}

/**
 * Plans one action under systemd: `running` (from a status_command) overrides ActiveState for the
 * actions that read it, as Chef's provider does.
 */
export function planSystemd(ctx: PlanContext, name: string, label: string, info: ServiceInfo, table: Record<string, SystemdAction>, running?: boolean): ProviderStep {
  const a = table[ctx.action];
  if (!a) return unknownStep(`action :${ctx.action} of ${label} is not planned by Cloche`);
  const sd: Systemd = { ...info.systemd!, ...(running === undefined ? {} : { active: running ? 'active' : 'inactive' }) };
  if (a.reads !== 'nothing' && sd[a.reads] === undefined) return unknownStep(`whether ${name} is ${a.reads === 'active' ? 'running' : 'enabled or masked'} cannot be known before the converge: ${sd.unsure ?? 'an earlier step changes it'}`);
  const verdict = a.decide(sd);
  if (verdict !== true) return upToDate(`${name} ${verdict} (systemd)`);
  const assumptions: string[] = [];
  if (a.needsUnit && !info.by && sd.load !== 'loaded') {
    const masked = sd.load === 'masked' || sd.file === 'masked';
    if (masked) return failedStep(`${label} ${name} is masked: systemctl ${a.verb} fails on a masked unit (unmask it first)`);
    if (!masked) {
      const earlier = mayBeInstalled(ctx, info);
      if (!earlier) return failedStep(`${label} ${name} is not loaded (systemd LoadState ${sd.load || 'unknown'}) and no earlier step installs it: systemctl ${a.verb} would fail`);
      assumptions.push(`assuming ${earlier} installs the unit ${name} (it is not loaded now: ${sd.load || 'unknown'})`);
    }
  }
  const next: Systemd = { ...info.systemd! };
  if ('forget' in a.after) {
    for (const k of a.after.forget) next[k] = undefined;
    next.unsure = `${ctx.resource.id} runs systemctl ${a.verb} ${name} earlier, whose outcome is only known when it runs`;
  } else Object.assign(next, a.after);
  setService(ctx, name, { ...info, systemd: next, by: ctx.resource.id });
  // `systemctl start` exits 0 when systemd skips a unit whose condition fails (ConditionCapability in a container …): say so.
  if (sd.skippedStart && a.reads === 'active') assumptions.push(`systemd skipped the last start of ${name}: a condition of the unit was not met on this machine (\`systemctl status ${name}\` says which, e.g. ConditionCapability in a container), so it may stay inactive after ${a.verb}`);
  const field = a.reads === 'file' ? 'enabled' : 'state';
  return change([{ property: field, from: a.reads === 'file' ? (sd.file ?? null) : a.reads === 'active' ? (sd.active ?? null) : null, to: a.verb, message: `would ${a.verb} ${label} ${name}` }],
    { ...(assumptions.length ? { assumptions } : {}), ...('forget' in a.after ? { opaque: true } : {}) });
}

/** The systemctl command of an action (Chef runs `systemctl --system VERB UNIT`). */
export function systemctlScript(table: Record<string, SystemdAction>, action: string, unit: string): string {
  const verb = table[action].verb;
  const run = `systemctl --system ${verb} -- ${shQuote(unit)}`;
  // A unit that fails to start says why in its journal: its last lines go with the failure.
  if (!/start|restart|reload/.test(verb)) return run;
  return `${run} || { _rc=$?; journalctl --no-pager -n 8 -u ${shQuote(unit)} 2>/dev/null | sed 's/^/journal: /' >&2; exit $_rc; }`;
}

/** Plans one action with an /etc/init.d script and no systemd (rc*.d links for enabled, the script's LSB status for running). */
export function planSysv(ctx: PlanContext, name: string, label: string, info: ServiceInfo, running?: boolean): ProviderStep {
  const sysv = { ...info.sysv!, ...(running === undefined ? {} : { running }) };
  const id = ctx.resource.id;
  if (ctx.action === 'restart') {
    setService(ctx, name, { ...info, sysv: { ...sysv, running: true }, by: id });
    return change([{ property: 'state', from: null, to: 'restart', message: `would restart ${label} ${name}` }]);
  }
  if (ctx.action === 'reload') {
    if (sysv.running === undefined) return unknownStep(`the init script of ${name} did not say whether it runs`);
    if (!sysv.running) return upToDate(`${name} is not running: Chef reloads only a running service (init script)`);
    return change([{ property: 'state', from: null, to: 'reload', message: `would reload ${label} ${name}` }]);
  }
  const verbs: Record<string, ['running' | 'enabled', boolean]> = { start: ['running', true], stop: ['running', false], enable: ['enabled', true], disable: ['enabled', false] };
  const v = verbs[ctx.action];
  if (!v) return unknownStep(`action :${ctx.action} of ${label} ${name} needs systemd (the container has an init script only); ${SYSTEMD_ADVICE}`);
  const [field, want] = v;
  if (sysv[field] === undefined) return unknownStep(`the init script of ${name} did not say whether it is ${field}`);
  if (sysv[field] === want) return upToDate(`${name} is ${want ? '' : 'not '}${field} (init script)`);
  setService(ctx, name, { ...info, sysv: { ...sysv, [field]: want }, by: id });
  return change([{ property: field, from: sysv[field] ?? null, to: want, message: `would ${ctx.action} ${label} ${name}` }]);
}

/** The init script commands Chef's Debian provider runs (service, update-rc.d). */
export function sysvScript(name: string, action: string): string {
  const n = shQuote(name);
  const scripts: Record<string, string> = {
    start: `service ${n} start`, stop: `service ${n} stop`, restart: `service ${n} restart`, reload: `service ${n} reload`,
    enable: `update-rc.d ${n} defaults >/dev/null && update-rc.d ${n} enable`, disable: `update-rc.d ${n} disable`,
  };
  return scripts[action] ?? `echo ${shQuote(`cloche: action ${action} of ${name} needs systemd; ${SYSTEMD_ADVICE}`)} >&2; exit 1`;
}

/**
 * For a step planned on an assumption (a package installed earlier brings the service): whatever
 * init the container has when it runs, or a message that says why nothing can run and what to do.
 */
export function runtimeInitScript(name: string, systemctl: string, action: string): string {
  const script = shQuote(`/etc/init.d/${name}`);
  const why = (pid1: string): string => shQuote(`cloche: ${name}: the container has no init system (PID 1 is `) + pid1 +
    shQuote(`) and no /etc/init.d/${name}; ${SYSTEMD_ADVICE.replace(/`/g, "'")}`);
  return [
    `if [ -d /run/systemd/system ] && command -v systemctl >/dev/null 2>&1; then ${systemctl}`,
    `elif [ -x ${script} ]; then ${sysvScript(name, action)}`,
    `else echo ${why('"$(cat /proc/1/comm)"')} >&2; exit 1; fi`,
  ].join('\n');
}
