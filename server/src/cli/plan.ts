/**
 * `cloche plan PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P]
 * [--run-list L] [--format text|json] [--detailed-exitcode]` — a dry run against a throwaway
 * container (network none), in one probe exec (two when the facts are read from the container).
 * Also holds the target/input setup the converge and test commands share.
 */
import { enclosingCookbook } from '../chef/workspace';
import * as path from 'node:path';
import { ContainerError } from '../containers/driver';
import { getPlatformProfile, listPlatformProfiles, type PlatformFacts } from '../chef/platforms';
import type { Plan, PlanTarget } from '../protocol';
import { EngineError, planInContainer } from '../engine/plan';
import { renderPlan } from '../engine/render';
import { EnvironmentError, openTarget, prepareInput, readFacts, type Target } from '../engine/session';
import type { EngineInput } from '../engine/types';
import { formatOf, parseArgs, type ParsedArgs } from './args';
import { parseRunList } from './graph';
import { type CliIO, UsageError } from './io';

export const usage = 'cloche plan PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P] [--run-list L] [--format text|json] [--detailed-exitcode]';

/** Flags shared by plan, converge and test. */
export const TARGET_FLAGS = ['image', 'container', 'runtime', 'platform', 'run-list', 'format'];

/** Runs a command body; usage, environment and container errors print their message and give exit 2. */
export async function withExitCodes(io: CliIO, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    if (e instanceof UsageError || e instanceof EnvironmentError || e instanceof ContainerError || e instanceof EngineError) {
      io.stderr(`cloche ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** A prepared run: target container, facts, engine input, and the plan's target description. */
export interface Prepared { target: Target; facts: PlatformFacts; input: EngineInput; planTarget: PlanTarget; factsRoundTrips: number; label: string }

/** Opens the target and loads the input, per the shared flags. Closes the target if loading fails. */
export async function prepare(args: ParsedArgs, network: 'none' | 'host', io: CliIO, keep = false): Promise<Prepared> {
  if (args.positional.length !== 1) throw new UsageError('exactly one PATH (a cookbook, a recipe, or an engine-input .json) is needed');
  if (args.values.has('image') && args.values.has('container')) throw new UsageError('--image and --container exclude each other');
  const runtime = args.values.get('runtime') ?? 'auto';
  if (!['docker', 'podman', 'auto'].includes(runtime)) throw new UsageError('--runtime must be docker or podman');
  const platform = args.values.get('platform');
  let facts = platform ? getPlatformProfile(platform) : undefined;
  if (platform && !facts) throw new UsageError(`unknown platform '${platform}'; known: ${listPlatformProfiles().join(', ')}`);
  const pathArg = args.positional[0];
  const target = await openTarget({
    runtime: runtime as 'docker' | 'podman' | 'auto', image: args.values.get('image'), container: args.values.get('container'),
    network, keep, cookbook: enclosingCookbook(path.resolve(pathArg)), platform,
  });
  try {
    let factsRoundTrips = 0;
    // The facts exec runs in a child process while the model reads and parses the cookbook here.
    const reading = facts ? undefined : readFacts(target.driver, target.container);
    reading?.catch(() => undefined);
    const load = prepareInput(pathArg);
    if (reading) factsRoundTrips = 1;
    const f: PlatformFacts = facts ?? (await reading)!;
    const { input, diagnostics } = load(f, parseRunList(args.values.get('run-list')));
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) io.stderr(`cloche: ${errors.length} error${errors.length === 1 ? '' : 's'} in the cookbook (see \`cloche check\`); planning what could be compiled\n`);
    const platformName = f.profile === 'container' ? `${f.platform}-${f.platformVersion}` : f.profile;
    const planTarget: PlanTarget = { runtime: target.driver.runtime.name, image: target.image, container: target.container, platform: platformName };
    return { target, facts: f, input, planTarget, factsRoundTrips, label: pathArg };
  } catch (e) {
    await target.close();
    throw e;
  }
}

/** Exit code of a plan: 1 when a step would fail, or when it would change with --detailed-exitcode. */
export function planExitCode(plan: Plan, detailed: boolean): number {
  if (plan.summary.failed) return 1;
  return detailed && plan.summary.changed > 0 ? 1 : 0;
}

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'plan', async () => {
    const args = parseArgs(argv, { values: TARGET_FLAGS, booleans: ['detailed-exitcode'] });
    const format = formatOf(args, ['text', 'json'], 'text');
    const p = await prepare(args, 'none', io);
    try {
      const plan = await planInContainer({ driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget, priorRoundTrips: p.factsRoundTrips });
      io.stdout(format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan, io.isTTY, p.label));
      return planExitCode(plan, args.booleans.has('detailed-exitcode'));
    } finally {
      await p.target.close();
    }
  });
}
