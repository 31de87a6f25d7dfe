/**
 * `cloche plan PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P]
 * [--run-list L | --suite S] [--kitchen-platform K] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--format text|json] [--with-content]
 * [--detailed-exitcode]` — a dry run against a throwaway container (network none), in one probe
 * exec (two when the facts are read from the container).
 * Also holds the target/input setup the converge and test commands share.
 */
import { enclosingCookbook } from '../chef/workspace';
import * as path from 'node:path';
import { ContainerError } from '../containers/driver';
import { getPlatformProfile, listPlatformProfiles, type PlatformFacts } from '../chef/platforms';
import type { Plan, PlanTarget } from '../protocol';
import { EngineError, planInContainer } from '../engine/plan';
import { renderPlan } from '../engine/render';
import { chooseKitchen, KitchenChoiceError, readKitchen, type KitchenChoice, type KitchenInfo } from '../engine/kitchen';
import { DEFAULT_IMAGE, EnvironmentError, openTarget, prepareInput, readFacts, type Target, type TargetNetwork } from '../engine/session';
import { PLACEHOLDER_NODE_NAME, withNodeName } from '../chef/nodeName';
import { repositoryRoot } from '../chef/repository';
import { describeCompileFailures } from '../engine/compileFailures';
import type { EngineInput } from '../engine/types';
import { formatOf, parseArgs, type ParsedArgs } from './args';
import { type CliIO, UsageError } from './io';
import { refuseNonLinux } from './platformOption';
import { standInImage } from '../engine/kitchenAvailability';
import { RUN_INPUT_HELP, RUN_INPUT_LISTS, RUN_INPUT_VALUES, runRequestFrom } from './runInputOptions';
import { setUpRun } from '../chef/inputs/runSetup';
import { CONTAINER_BOOLEANS, CONTAINER_FLAGS, CONTAINER_HELP, containerOptions } from './containerOptions';

export const usage = 'cloche plan PATH [--image I | --container NAME] [--runtime docker|podman] [--platform P] [--run-list L | --suite S] [--kitchen-platform K] [--init none|systemd] [--memory M] [--pids-limit N] [--attributes FILE] [--attribute P=V]... [--environment E] [--policyfile F [--named-run-list N]] [--format text|json] [--with-content] [--detailed-exitcode]';

/** Lines of the usage text shared by plan, converge and test. */
export const TARGET_HELP = [
  '  --image I                the image of the throwaway container (default: the kitchen file\'s platform image, else cloche/debian:12)',
  '  --container NAME         use this running container instead of a throwaway one (never destroyed)',
  '  --runtime docker|podman  the container runtime (default: docker if it answers, else podman)',
  '  --platform P             compile for this platform profile instead of the facts read from the container',
  "  --suite S                the run list and attributes of suite S of the cookbook's kitchen.yml (.kitchen.yml, kitchen.yaml);",
  '                           suite attributes (over the platform\'s) are node attributes at normal precedence; the suite\'s',
  '                           provisioner settings (policyfile, named_run_list, roles_path, client_rb environment) apply',
  '  --kitchen-platform K     the image of kitchen platform K (platforms[].driver.image, driver_config.image, else driver.image)',
  ...CONTAINER_HELP,
  ...RUN_INPUT_HELP,
];

/** Flags shared by plan, converge and test. */
export const TARGET_FLAGS = ['image', 'container', 'runtime', 'platform', 'run-list', 'suite', 'kitchen-platform', 'format', ...CONTAINER_FLAGS, ...RUN_INPUT_VALUES];
/** Repeatable flags shared by plan, converge and test. */
export const TARGET_LISTS = RUN_INPUT_LISTS;

/** Runs a command body; usage, environment and container errors print their message and give exit 2. */
export async function withExitCodes(io: CliIO, name: string, body: () => Promise<number>): Promise<number> {
  try {
    return await body();
  } catch (e) {
    // Interrupted: the signal handler is sweeping the containers and ends the process with 128+n.
    if (e instanceof ContainerError && e.kind === 'interrupted') {
      io.stderr(`cloche ${name}: ${e.message}\n`);
      return new Promise<number>(() => undefined);
    }
    if (e instanceof UsageError || e instanceof EnvironmentError || e instanceof ContainerError || e instanceof EngineError) {
      io.stderr(`cloche ${name}: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

/** A prepared run: target container, facts, engine input, and the plan's target description. */
export interface Prepared { target: Target; facts: PlatformFacts; input: EngineInput; planTarget: PlanTarget; factsRoundTrips: number; label: string }

/** What --suite / --kitchen-platform (or the kitchen file by default) choose, as usage errors when they do not fit. */
export function kitchenChoice(args: ParsedArgs, cookbook: string | undefined): { choice: KitchenChoice; file?: string } {
  const suite = args.values.get('suite');
  const platform = args.values.get('kitchen-platform');
  const explicit = suite !== undefined || platform !== undefined;
  if (suite !== undefined && args.values.has('run-list')) throw new UsageError('--suite and --run-list exclude each other (the suite has its own run list)');
  if (platform !== undefined && args.values.has('image')) throw new UsageError('--kitchen-platform and --image exclude each other (the platform names its image)');
  if (platform !== undefined && args.values.has('container')) throw new UsageError('--kitchen-platform and --container exclude each other (the container already runs)');
  // The kitchen file matters when it is asked for, or when it may name the image.
  if (!explicit && (args.values.has('image') || args.values.has('container'))) return { choice: {} };
  let kitchen: KitchenInfo | undefined;
  try {
    kitchen = readKitchen(cookbook, DEFAULT_IMAGE);
  } catch (e) {
    if (!explicit) return { choice: {} }; // a broken kitchen.yml is `cloche check`'s business, not the plan's
    throw new UsageError((e as Error).message);
  }
  try {
    return { choice: chooseKitchen(kitchen, { suite, platform, platformHint: args.values.get('platform'), cookbook, noPlatform: args.values.has('container') }), file: kitchen?.file };
  } catch (e) {
    if (e instanceof KitchenChoiceError) throw new UsageError(e.message);
    throw e;
  }
}

/** Opens the target and loads the input, per the shared flags. Closes the target if loading fails. */
export async function prepare(args: ParsedArgs, network: TargetNetwork, io: CliIO, keep = false): Promise<Prepared> {
  if (args.positional.length !== 1) throw new UsageError('exactly one PATH (a cookbook, a recipe, or an engine-input .json) is needed');
  if (args.values.has('image') && args.values.has('container')) throw new UsageError('--image and --container exclude each other');
  const runtime = args.values.get('runtime') ?? 'auto';
  if (!['docker', 'podman', 'auto'].includes(runtime)) throw new UsageError('--runtime must be docker or podman');
  const platform = args.values.get('platform');
  let facts = platform ? getPlatformProfile(platform) : undefined;
  if (platform && !facts) throw new UsageError(`unknown platform '${platform}'; known: ${listPlatformProfiles().join(', ')}`);
  refuseNonLinux(facts);
  const pathArg = args.positional[0];
  const cookbook = enclosingCookbook(path.resolve(pathArg));
  const { choice, file } = kitchenChoice(args, cookbook);
  // Chef refuses a run whose inputs are broken (a missing role, a bad node JSON): so do we, before any container.
  const setup = setUpRun(runRequestFrom(args, cookbook ?? path.resolve(pathArg), choice, file));
  if (setup.errors.length) throw new UsageError(setup.errors.map((e) => e.where((f) => path.relative(process.cwd(), f) || f)).join('\n'));
  for (const n of setup.notes) io.stderr(`cloche: note: ${n}\n`);
  const image = args.values.get('image') ?? choice.image;
  const imageFrom = !args.values.has('image') && choice.platform && choice.platform.imageFrom !== 'default' && file
    ? `${path.basename(file)} platform '${choice.platform.name}'` : undefined;
  const container = containerOptions(args, choice, image, file, io);
  // A kitchen platform's registry image of a Debian release Cloche builds runs on Cloche's image of it when absent.
  const standIn = !args.values.has('image') && choice.platform && image ? standInImage(image, container.init === 'systemd') : undefined;
  // The node the run is for (the user's, else the placeholder) names the throwaway container's machine too.
  const nodeName = setup.inputs.nodeName ?? PLACEHOLDER_NODE_NAME;
  const target = await openTarget({
    runtime: runtime as 'docker' | 'podman' | 'auto', imageFrom, container: args.values.get('container'), network, keep, ...container,
    standIn, onNote: (m) => io.stderr(`cloche: note: ${m}\n`),
    workspace: cookbook ? repositoryRoot(cookbook) : path.dirname(path.resolve(pathArg)), nodeName,
    onFallback: (m) => io.stderr(`cloche: warning: ${m}\n`),
  });
  try {
    let factsRoundTrips = 0;
    // The facts exec runs in a child process while the model reads the cookbooks and evaluates the run's libraries here.
    const reading = facts ? undefined : readFacts(target.driver, target.container);
    reading?.catch(() => undefined);
    const load = prepareInput(pathArg, setup.recipes);
    if (reading) factsRoundTrips = 1;
    // A container Cloche made answers to the node name (its resolver may not know the domain without a network); the user's own container keeps its facts.
    const f: PlatformFacts = facts ?? (target.created ? withNodeName((await reading)!, nodeName) : (await reading)!);
    const { input, diagnostics, warnings, failures } = load(f, setup.recipes, setup.inputs);
    for (const w of warnings) io.stderr(`cloche: warning: ${w}\n`);
    // Chef stops a run that does not compile before converging anything: so does Cloche, before any probe or step.
    if (failures.length) throw new EnvironmentError(`the run does not compile on ${f.profile === 'container' ? `${f.platform}-${f.platformVersion}` : f.profile}, so nothing was planned or applied:\n${describeCompileFailures(failures)}`);
    const errors = diagnostics.filter((d) => d.severity === 'error');
    if (errors.length) io.stderr(`cloche: ${errors.length} error${errors.length === 1 ? '' : 's'} in the cookbook (see \`cloche check\`); steps they touch are planned from what could be compiled\n`);
    const platformName = f.profile === 'container' ? `${f.platform}-${f.platformVersion}` : f.profile;
    const planTarget: PlanTarget = { runtime: target.driver.runtime.name, image: target.image, container: target.container, platform: platformName };
    if (choice.suite) planTarget.suite = choice.suite.name;
    if (choice.platform && target.created && (choice.suite || args.values.has('kitchen-platform'))) planTarget.kitchenPlatform = choice.platform.name;
    return { target, facts: f, input, planTarget, factsRoundTrips, label: choice.suite ? `${pathArg} (suite ${choice.suite.name})` : pathArg };
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

const PLAN_HELP = [
  '  --format text|json       text for people (default), or the Plan JSON of server/src/protocol.ts',
  '  --with-content           steps that would change a file\'s content (file, template, cookbook_file, cron_d, apt_repository,',
  '                           systemd_unit, cron) and are not sensitive carry content: { path, before (null: no file), after }',
  '  --detailed-exitcode      exit 1 when something would change (always 1 when a step would fail)',
];

export async function run(argv: string[], io: CliIO): Promise<number> {
  return withExitCodes(io, 'plan', async () => {
    const args = parseArgs(argv, { values: TARGET_FLAGS, lists: TARGET_LISTS, booleans: ['detailed-exitcode', 'with-content', 'help', ...CONTAINER_BOOLEANS] });
    if (args.booleans.has('help')) { io.stdout(`usage: ${usage}\n${TARGET_HELP.join('\n')}\n${PLAN_HELP.join('\n')}\n`); return 0; }
    const format = formatOf(args, ['text', 'json'], 'text');
    const p = await prepare(args, 'none', io);
    try {
      const plan = await planInContainer({
        driver: p.target.driver, container: p.target.container, input: p.input, target: p.planTarget, priorRoundTrips: p.factsRoundTrips,
        withContent: args.booleans.has('with-content'),
      });
      io.stdout(format === 'json' ? `${JSON.stringify(plan, null, 2)}\n` : renderPlan(plan, io.isTTY, p.label));
      return planExitCode(plan, args.booleans.has('detailed-exitcode'));
    } finally {
      await p.target.close();
    }
  });
}
