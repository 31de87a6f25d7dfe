/**
 * How a throwaway container runs, for plan, converge and test: `--init none|systemd` (else the
 * kitchen file's `pid_one_command`, else the image's `cloche.init` label), `--memory` and
 * `--pids-limit` (else the driver's DEFAULT_LIMITS), and `--privileged`. The kitchen file's
 * `privileged: true` is what kitchen-dokken needs to boot systemd; Cloche boots it unprivileged, so
 * it is said on stderr and not granted unless `--privileged` asks (many hosts refuse it anyway).
 * With systemd as PID 1 and Cloche's own base image, its systemd variant runs.
 */
import * as path from 'node:path';
import { DEFAULT_LIMITS, MEMORY_SYNTAX } from '../containers/driver';
import { systemdVariantOf } from '../containers/systemdImage';
import type { InitSystem } from '../containers/systemdInit';
import type { KitchenChoice } from '../engine/kitchen';
import { DEFAULT_IMAGE } from '../engine/session';
import type { ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';

/** Flags (with a value) of plan, converge and test. */
export const CONTAINER_FLAGS = ['init', 'memory', 'pids-limit'];
/** Their boolean flags. */
export const CONTAINER_BOOLEANS = ['privileged'];

/** Their help lines. */
export const CONTAINER_HELP = [
  '  --init none|systemd      PID 1 of the throwaway container: systemd boots it unprivileged and waits until it runs, so services',
  '                           really start (default: kitchen pid_one_command, else the image\'s cloche.init label; cloche/debian:12',
  '                           becomes cloche/debian:12-systemd, built by `cloche image build --init systemd`)',
  `  --memory M               memory limit of the throwaway container (docker syntax: 512m, 4g; default ${DEFAULT_LIMITS.memory})`,
  `  --pids-limit N           most processes in the throwaway container (default ${DEFAULT_LIMITS.pidsLimit})`,
  '  --privileged             run the throwaway container --privileged (it reaches the host\'s devices and kernel settings);',
  '                           kitchen.yml\'s privileged: true alone does not grant it: Cloche boots systemd without it',
];

/** What the flags and the kitchen choice decide about the container (and the image, for systemd). */
export interface ContainerOptions {
  image?: string;
  init?: InitSystem;
  privileged?: boolean;
  memory?: string;
  pidsLimit?: number;
}

/** Reads the flags; usage errors for bad values; notes on stderr for what the kitchen file decides. */
export function containerOptions(args: ParsedArgs, choice: KitchenChoice, image: string | undefined, kitchenFile: string | undefined, io: CliIO): ContainerOptions {
  const given = [...CONTAINER_FLAGS.filter((f) => args.values.has(f)), ...CONTAINER_BOOLEANS.filter((f) => args.booleans.has(f))];
  if (given.length && args.values.has('container')) throw new UsageError(`${given.map((f) => `--${f}`).join(', ')} appl${given.length === 1 ? 'ies' : 'y'} to a new container; --container already runs`);
  if (args.values.has('container')) return { image };
  const initFlag = args.values.get('init');
  if (initFlag !== undefined && initFlag !== 'none' && initFlag !== 'systemd') throw new UsageError(`--init must be none or systemd (got '${initFlag}')`);
  const memory = args.values.get('memory');
  if (memory !== undefined && !MEMORY_SYNTAX.test(memory)) throw new UsageError(`--memory must be a size such as 512m or 4g (got '${memory}')`);
  const pidsText = args.values.get('pids-limit');
  const pidsLimit = pidsText === undefined ? undefined : Number(pidsText);
  if (pidsLimit !== undefined && !(Number.isInteger(pidsLimit) && pidsLimit > 0)) throw new UsageError(`--pids-limit must be a positive whole number (got '${pidsText}')`);
  const where = kitchenFile ? `${path.basename(kitchenFile)}${choice.platform ? ` platform '${choice.platform.name}'` : ''}` : 'the kitchen file';
  const init = (initFlag as InitSystem | undefined) ?? choice.init;
  if (initFlag === undefined && choice.init === 'systemd') io.stderr(`cloche: note: systemd as PID 1, as ${where} asks (pid_one_command ${choice.pidOneCommand})\n`);
  let chosen = image;
  const variant = init === 'systemd' && !args.values.has('image') ? systemdVariantOf(image ?? DEFAULT_IMAGE) : undefined;
  if (variant) { chosen = variant; io.stderr(`cloche: note: systemd as PID 1 runs in ${variant}, the systemd variant of ${image ?? DEFAULT_IMAGE}\n`); }
  const privileged = args.booleans.has('privileged');
  const privilegedBy = choice.suite?.privileged !== undefined && kitchenFile ? `${path.basename(kitchenFile)} suite '${choice.suite.name}'` : where;
  if (privileged) io.stderr('cloche: warning: the container runs --privileged: it can reach the host\'s devices and kernel settings\n');
  else if (choice.privileged) io.stderr(`cloche: note: ${privilegedBy} asks privileged: true (kitchen-dokken needs it for systemd); Cloche runs the container unprivileged (systemd boots without it); --privileged grants it\n`);
  return { image: chosen, init, privileged, memory, pidsLimit };
}
