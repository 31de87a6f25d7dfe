/**
 * timezone :set on Linux, as Chef 19's resource does it:
 *
 * - systemd as PID 1 (what Chef's `systemd?` reads): the current zone is what `timedatectl status`
 *   reports (the probe runs it; it needs D-Bus running, and Chef fails without it); to change it,
 *   package tzdata (timezone on SUSE) is installed, then `timedatectl --no-ask-password
 *   set-timezone ZONE` runs — a zone with no /usr/share/zoneinfo file makes it fail, and the plan
 *   says so.
 * - RHEL and Amazon Linux without systemd: the zone is ZONE="…" in /etc/sysconfig/clock; to
 *   change it, tzdata, that file (`ZONE`, `UTC="true"`), then /usr/sbin/tzdata-update when it is
 *   executable, else the link /etc/localtime → /usr/share/zoneinfo/ZONE.
 * - Anywhere else (Debian or Ubuntu without systemd, as in most containers) Chef's resource
 *   changes nothing and reports nothing: the step is up to date and says that the zone is not set.
 *
 * Chef compares only the zone's name, so an /etc/localtime that disagrees with a matching
 * /etc/sysconfig/clock is left alone, as it would be.
 */
import { posix } from 'node:path';
import type { PlanChange } from '../../protocol';
import { PropReader } from '../props';
import type { Query } from '../probeScript';
import type { EngineResource, PlanContext, Provider, ProviderStep } from '../types';
import { change, failedStep, shQuote, unknownStep, upToDate } from './common';
import { planContentFile, writeFileScript } from './file';
import { applyPackages, packageQueries, planPackages } from './packageSteps';

const ZONEINFO = '/usr/share/zoneinfo';
const CLOCK = '/etc/sysconfig/clock';
const TZDATA_UPDATE = '/usr/sbin/tzdata-update';
/** A zone name Chef passes on (`Europe/Paris`, `Etc/GMT+5`, `UTC`). */
const ZONE_NAME = /^[A-Za-z0-9_+-]+(\/[A-Za-z0-9_+-]+)*$/;

function want(r: EngineResource) {
  const reader = new PropReader(r);
  return { reader, zone: reader.str('timezone') ?? r.name };
}

/** The package that brings the zone files. */
const tzPackage = (family: string): string => (family === 'suse' ? 'timezone' : 'tzdata');

/** What the apply runs, kept from the plan. */
interface ApplyData { packages: ReturnType<typeof planPackages>; timedatectl?: boolean; clock?: string; tzdataUpdate?: boolean; link?: boolean }
const planned = new WeakMap<ProviderStep, ApplyData>();

/** The zone `timedatectl status` reports, as Chef reads it (the text after "Time zone:" up to " ("); Chef raises when the command fails. */
function timedatectlZone(ctx: PlanContext): { zone?: string; failed?: string; unknown?: string } {
  const k = ctx.state.system('timedatectl');
  if (!k.ok) return { unknown: k.reason };
  const rc = Number(k.value.rc?.[0]);
  const lines = k.value.v ?? [];
  if (rc === 127) return { failed: 'Chef runs /usr/bin/timedatectl under systemd, and the container has none' };
  if (rc !== 0) {
    const why = `\`timedatectl status\` fails${lines[0] ? ` (${lines[0].trim()})` : ` (exit ${k.value.rc?.[0]})`}`;
    if (ctx.state.installs.length) return { unknown: `${why} now; ${ctx.state.installs.join(', ')}, installed earlier, may make it work (the converge reads it again after the install)` };
    return { failed: `Chef reads the zone with \`timedatectl status\`, and ${why}: timedated is reached over D-Bus, so the dbus package must be installed and running` };
  }
  for (const l of lines) {
    const m = /Time zone: (.*) \(.*/.exec(l);
    if (m) return { zone: m[1] };
  }
  return { failed: '`timedatectl status` printed no "Time zone:" line, and Chef fails reading it' };
}

/** The zone file must be there once tzdata is installed; it may come with the install this step plans. */
function zoneFile(ctx: PlanContext, zone: string, installing: boolean): { failed?: string; unknown?: string; assumption?: string } {
  const k = ctx.state.path(`${ZONEINFO}/${zone}`);
  if (!k.ok) return { unknown: k.reason };
  if (k.value.kind !== 'missing') return {};
  if (installing) return { assumption: `assuming ${ZONEINFO}/${zone} comes with the time zone package this step installs` };
  return { failed: `time zone ${zone} is not installed: ${ZONEINFO}/${zone} does not exist, so \`timedatectl set-timezone\` fails ("Invalid or not installed time zone")` };
}

function planSet(ctx: PlanContext, zone: string): ProviderStep {
  if (!ZONE_NAME.test(zone) || zone.split('/').includes('..')) return failedStep(`${JSON.stringify(zone)} is not a time zone name`);
  const pid1 = ctx.state.system('pid1');
  if (!pid1.ok) return unknownStep(pid1.reason);
  const systemd = pid1.value.v?.[0] === 'systemd';
  const family = ctx.facts.platformFamily;
  if (!systemd && family !== 'rhel' && family !== 'amazon') {
    return upToDate(`Chef's timezone resource changes nothing here: without systemd as PID 1 (PID 1 is ${pid1.value.v?.[0] || 'unknown'}) it sets the zone only on RHEL, Amazon Linux and macOS, so ${zone} is not set`);
  }
  const changes: PlanChange[] = [];
  const assumptions: string[] = [];
  const id = ctx.resource.id;
  let current: string | undefined;
  if (systemd) {
    const z = timedatectlZone(ctx);
    if (z.unknown) return unknownStep(z.unknown);
    if (z.failed) return failedStep(z.failed);
    current = z.zone;
  } else {
    const k = ctx.state.path(CLOCK);
    if (!k.ok) return unknownStep(k.reason);
    if (k.value.kind !== 'missing') {
      if (k.value.content === undefined) return unknownStep(`${CLOCK} exists but its content could not be read`);
      const m = /ZONE="(.*)"/.exec(k.value.content);
      if (!m) return failedStep(`Chef cannot read the current zone: ${CLOCK} has no ZONE="…" line (it raises undefined method '[]' for nil)`);
      current = m[1];
    }
  }
  if (current === zone) return upToDate(`the time zone is ${zone}`);

  const packages = planPackages(ctx, [tzPackage(family)]);
  if (packages.step.status === 'unknown' || packages.step.status === 'failed') return { ...packages.step, changes: [...packages.step.changes] };
  changes.push(...packages.step.changes);
  assumptions.push(...(packages.step.assumptions ?? []));
  const installing = packages.step.status === 'change';
  const data: ApplyData = { packages };
  const zonePath = `${ZONEINFO}/${zone}`;
  if (systemd) {
    const f = zoneFile(ctx, zone, installing);
    if (f.unknown) return unknownStep(f.unknown);
    if (f.failed) return failedStep(f.failed);
    if (f.assumption) assumptions.push(f.assumption);
    changes.push({ property: 'timezone', from: current ?? null, to: zone, message: `would set the time zone ${current ?? '(none)'} → ${zone} (timedatectl set-timezone)` });
    ctx.state.setPath('/etc/localtime', { kind: 'link', linkTarget: `..${zonePath}`, owner: 'root', group: 'root', mode: '777', by: id });
    ctx.state.setSystem('timedatectl', { rc: ['0'], v: [`Time zone: ${zone} (set by ${id})`] });
    data.timedatectl = true;
  } else {
    const content = `ZONE="${zone}"\nUTC="true"\n`;
    const file = planContentFile(ctx, CLOCK, { owner: 'root', group: 'root', mode: '644' }, content, 'file');
    if (file.status === 'failed' || file.status === 'unknown') return file;
    changes.push(...file.changes);
    assumptions.push(...(file.assumptions ?? []));
    if (file.status === 'change') data.clock = content;
    const tu = ctx.state.path(TZDATA_UPDATE);
    if (!tu.ok) return unknownStep(tu.reason);
    if (tu.value.kind === 'file' && /[1357]/.test(tu.value.mode ?? '')) {
      if (file.status === 'change') {
        changes.push({ property: 'tzdata-update', from: null, to: TZDATA_UPDATE, message: `would run ${TZDATA_UPDATE} (notified by ${CLOCK})` });
        data.tzdataUpdate = true;
      }
    } else {
      const lt = ctx.state.path('/etc/localtime');
      if (!lt.ok) return unknownStep(lt.reason);
      if (lt.value.kind === 'directory') return failedStep('/etc/localtime is a directory; Chef\'s link cannot replace it');
      if (lt.value.kind !== 'link' || lt.value.linkTarget !== zonePath) {
        changes.push({ property: 'link', from: lt.value.kind === 'link' ? lt.value.linkTarget ?? null : null, to: zonePath, message: `would link /etc/localtime → ${zonePath}` });
        const zf = ctx.state.path(zonePath);
        if (zf.ok && zf.value.kind === 'missing' && !installing) assumptions.push(`${zonePath} does not exist: the link will dangle`);
        ctx.state.setPath('/etc/localtime', { kind: 'link', linkTarget: zonePath, owner: 'root', group: 'root', mode: '777', by: id });
        data.link = true;
      }
    }
  }
  const step = change(changes, { opaque: installing || data.tzdataUpdate === true, ...(assumptions.length ? { assumptions } : {}) });
  planned.set(step, data);
  return step;
}

export const timezoneProvider: Provider = {
  types: ['timezone'],
  actions: ['set', 'nothing'],
  queries(r, facts): Query[] {
    const { zone } = want(r);
    if (!ZONE_NAME.test(zone)) return [];
    return [
      { kind: 'system', name: 'pid1' }, { kind: 'system', name: 'timedatectl' }, { kind: 'path', path: '/etc/localtime' }, { kind: 'path', path: `${ZONEINFO}/${zone}` },
      { kind: 'path', path: CLOCK, content: true }, { kind: 'path', path: posix.dirname(CLOCK) }, { kind: 'path', path: TZDATA_UPDATE },
      { kind: 'user', name: 'root' }, { kind: 'group', name: 'root' },
      ...packageQueries(r, [tzPackage(facts.platformFamily)], facts),
    ];
  },
  plan(ctx) {
    const w = want(ctx.resource);
    if (w.reader.reasons.length) return unknownStep(w.reader.reasons.join('; '));
    if (ctx.facts.os && ctx.facts.os !== 'linux') return unknownStep(`timezone on ${ctx.facts.os} is not planned by Cloche`);
    return planSet(ctx, w.zone);
  },
  apply(ctx, step) {
    const { zone } = want(ctx.resource);
    const data = planned.get(step);
    if (!data) throw new Error(`cannot apply ${ctx.resource.id}: it was not planned`);
    const lines = ['set -e'];
    const pkg = applyPackages(data.packages);
    if (pkg) lines.push(pkg.script);
    if (data.timedatectl) lines.push(`/usr/bin/timedatectl --no-ask-password set-timezone ${shQuote(zone)}`);
    if (data.clock !== undefined) lines.push(writeFileScript(CLOCK, { owner: 'root', group: 'root', mode: '644' }));
    if (data.tzdataUpdate) lines.push(TZDATA_UPDATE);
    if (data.link) lines.push(`ln -sfn ${shQuote(`${ZONEINFO}/${zone}`)} /etc/localtime`);
    return { script: lines.join('\n'), ...(data.clock !== undefined ? { stdin: data.clock } : {}) };
  },
};
