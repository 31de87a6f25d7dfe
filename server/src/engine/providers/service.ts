/**
 * service (and systemd_service, debian_service, sysvinit_service). With systemd as PID 1 the plan
 * reads the unit's real state (`systemctl show`, as Chef's systemd provider does) and the converge
 * runs `systemctl --system start|stop|restart|reload|enable|disable|mask|unmask`; the resource's
 * own start/stop/restart/reload_command and status_command win, as in Chef. Without systemd, an
 * /etc/init.d script's LSB status and rc*.d links (`service`, `update-rc.d`); without either, the
 * step is unknown and says what to do (an image with systemd), never a bare failure.
 * systemd_unit lives in systemdUnit.ts (re-exported here for the registry).
 */

import type { JsonValue } from '../../protocol';
import { PropReader } from '../props';
import type { Query } from '../probeScript';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, unknownStep } from './common';
import { noInitReason, planSystemd, planSysv, runtimeInitScript, SERVICE_SYSTEMD, systemctlScript, sysvScript } from './initSystem';

export { systemdUnitProvider } from './systemdUnit';

/** The property that replaces each action's command (Chef::Provider::Service::Simple). */
const COMMAND_PROPERTY: Record<string, string> = { start: 'start_command', stop: 'stop_command', restart: 'restart_command', reload: 'reload_command' };

/** A command property: its text, or undefined when absent or `false` (Chef then runs its own command). */
function commandProp(reader: PropReader, name: string): string | undefined {
  const v: JsonValue | undefined = reader.resource.properties[name];
  return v === false || v === undefined || v === null ? undefined : reader.str(name);
}

/** What the resource asks, read once: the unknowns among it make the step unknown. */
function settings(r: EngineResource, action: string): { name: string; status?: string; command?: string; user?: string; reasons: string[] } {
  const reader = new PropReader(r);
  const name = reader.str('service_name') ?? r.name;
  const status = commandProp(reader, 'status_command');
  const command = COMMAND_PROPERTY[action] ? commandProp(reader, COMMAND_PROPERTY[action]) : undefined;
  const user = reader.str('user');
  return { name, status, command, user, reasons: reader.reasons };
}

const statusQuery = (command: string): Extract<Query, { kind: 'guard' }> => ({ kind: 'guard', command });

function plan(ctx: PlanContext): ProviderStep {
  const s = settings(ctx.resource, ctx.action);
  if (s.reasons.length) return unknownStep(s.reasons.join('; '));
  if (s.user) return unknownStep(`user services (user ${s.user}, systemctl --user) are not planned by Cloche`);
  const k = ctx.state.service(s.name);
  if (!k.ok) return unknownStep(k.reason);
  const info = k.value;
  let running: boolean | undefined;
  // status_command decides "running", as in Chef, until an earlier step of this plan changes the service.
  if (s.status && !info.by) {
    const rc = ctx.state.guard(statusQuery(s.status));
    if (!rc.ok) return unknownStep(`status_command ${JSON.stringify(s.status)}: ${rc.reason}`);
    running = rc.value === 0;
  }
  if (info.systemd) return planSystemd(ctx, s.name, 'service', info, SERVICE_SYSTEMD, running);
  if (info.sysv) return planSysv(ctx, s.name, 'service', info, running);
  if (ctx.state.installs.length && ['start', 'stop', 'enable', 'disable', 'restart', 'reload'].includes(ctx.action)) {
    // A package install is planned earlier: assume it brings the service (the converge probes again after it).
    return change([{ property: 'state', from: null, to: ctx.action, message: `would ${ctx.action} service ${s.name}` }],
      { assumptions: [`assuming ${ctx.state.installs.join(', ')} installs ${s.name} with a way to run it (now ${noInitReason(s.name, info).split(', so ')[0]})`] });
  }
  return unknownStep(noInitReason(s.name, info));
}

export const serviceProvider: Provider = {
  types: ['service', 'systemd_service', 'debian_service', 'sysvinit_service'],
  actions: ['enable', 'disable', 'start', 'stop', 'restart', 'reload', 'mask', 'unmask', 'nothing'],
  queries(r) {
    const reader = new PropReader(r);
    const qs: Query[] = [{ kind: 'service', name: reader.str('service_name') ?? r.name }];
    const status = commandProp(reader, 'status_command');
    if (status) qs.push(statusQuery(status));
    return qs;
  },
  plan,
  apply(ctx) {
    const s = settings(ctx.resource, ctx.action);
    if (s.reasons.length) throw new Error(`cannot ${ctx.action} service ${s.name}: ${s.reasons.join('; ')}`);
    if (s.command) return { script: s.command };
    const k = ctx.state.service(s.name);
    const info = k.ok ? k.value : undefined;
    if (info?.systemd) return { script: systemctlScript(SERVICE_SYSTEMD, ctx.action, s.name) };
    if (info?.sysv) return { script: sysvScript(s.name, ctx.action) };
    return { script: runtimeInitScript(s.name, systemctlScript(SERVICE_SYSTEMD, ctx.action, s.name), ctx.action) };
  },
};
