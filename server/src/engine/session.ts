/**
 * Setting up what a plan/converge runs against, for the CLI (and later the editor): the runtime,
 * the image (chosen by the caller: --image, else the cookbook's kitchen.yml, else cloche/debian:12), a throwaway
 * container (or the user's running one), the facts, and the engine input (a cookbook through the
 * model, or an engine-input JSON file). Environment problems become {@link EnvironmentError}s
 * whose message says what to do (the CLI exits 2).
 */
import { Workspace } from '../chef/workspace';
import { searchRootsFor } from '../chef/enclosingCookbook';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ContainerDriver, ContainerError, LABELS } from '../containers/driver';
import { FACTS_SCRIPT, parseFacts } from '../containers/facts';
import { RuntimeUnavailableError, type RuntimeName } from '../containers/runtime';
import type { InitSystem } from '../containers/systemdInit';
import { buildCommandFor } from '../containers/systemdImage';
import type { PlatformFacts } from '../chef/platforms';
import { ModelSet } from '../chef/modelSet';
import { RESOLUTION_ERRORS } from '../chef/resolution';
import type { RunInputs } from '../chef/inputs/runInputs';
import { toEngineResource } from './types';
import type { Diagnostic } from '../protocol';
import { readKitchen } from './kitchen';
import { factsToPlatform } from './facts';
import { engineInputFromJson } from './input';
import { compileFailures } from './compileFailures';
import type { EngineInput } from './types';

/** The default image when neither --image nor kitchen.yml names one. */
export const DEFAULT_IMAGE = 'cloche/debian:12';
/** Label on containers created with --keep: sweeps leave them alone. */
export const KEEP_LABEL = 'cloche.keep';

/** A problem with the environment (runtime, image, container): exit 2 with this message. */
export class EnvironmentError extends Error {
  override name = 'EnvironmentError';
}

/** Where a command runs. */
export interface Target {
  driver: ContainerDriver;
  container: string;
  image: string;
  /** True when Cloche created the container (and must destroy it unless kept). */
  created: boolean;
  /** Removes the container if Cloche created it and it is not kept. Never throws. */
  close(): Promise<void>;
}

/** Network of a throwaway container: `none` for plans, `bridge` (default) or `host` for converges. */
export type TargetNetwork = 'none' | 'host' | 'bridge';

/** Options for {@link openTarget}. */
export interface TargetOptions {
  runtime?: RuntimeName | 'auto';
  /** The image to create the container from (default {@link DEFAULT_IMAGE}). */
  image?: string;
  /** Where the image was named, for the message when it is missing (e.g. `kitchen.yml platform 'debian-12'`). */
  imageFrom?: string;
  /**
   * Cloche's image of the same Debian release, run when `image` (a registry image such as
   * `dokken/debian-12`) is not here; said through `onNote` (kitchenAvailability.ts `standInImage`).
   */
  standIn?: string;
  /** Told what was decided for the user (the stand-in image). */
  onNote?: (message: string) => void;
  container?: string;
  network: TargetNetwork;
  keep?: boolean;
  /** PID 1 of a throwaway container (default: the image's `cloche.init` label); see containers/systemdInit.ts. */
  init?: InitSystem;
  /** `--privileged`, only when the kitchen file asks. */
  privileged?: boolean;
  /** Memory and process limits (defaults: the driver's DEFAULT_LIMITS). */
  memory?: string;
  pidsLimit?: number;
  /** The repository (or folder) of what runs, labelled on the container so an editor lists its workspace's first. */
  workspace?: string;
  /** The node name of the run: the throwaway container's hostname (never its id). */
  nodeName?: string;
  /** Told at once when the runtime chosen is not the preferred one (docker unreachable, podman used). */
  onFallback?: (message: string) => void;
}

/** The image a cookbook's kitchen.yml asks for (`platforms[].driver.image`, else `driver.image`). */
export function kitchenImage(cookbook: string | undefined, platform?: string): string | undefined {
  try {
    const k = readKitchen(cookbook, DEFAULT_IMAGE);
    const p = k?.platforms.find((x) => x.name === platform) ?? k?.platforms[0];
    return p && p.imageFrom !== 'default' ? p.image : undefined;
  } catch {
    return undefined; // a broken kitchen.yml is `cloche check`'s business, not the plan's
  }
}

/**
 * Detects the runtime; a missing or dead one is an EnvironmentError with advice. `onFallback` hears
 * at once why another runtime than the preferred one is used (docker unreachable: podman).
 */
export async function connect(runtime: RuntimeName | 'auto' = 'auto', sessionId?: string, onFallback?: (message: string) => void): Promise<ContainerDriver> {
  try {
    const driver = await ContainerDriver.detect(runtime, sessionId ? { sessionId } : {});
    if (driver.runtime.fallback) onFallback?.(driver.runtime.fallback);
    return driver;
  } catch (e) {
    if (e instanceof RuntimeUnavailableError) throw new EnvironmentError(e.message);
    throw e;
  }
}

/** Removes containers of Cloche sessions whose process is gone (same host), except kept ones. */
async function sweepDeadSessions(driver: ContainerDriver): Promise<void> {
  const alive = (session: string): boolean => {
    const pid = Number(session.split('-')[0]);
    if (!pid) return true;
    try { process.kill(pid, 0); return true; } catch (e) { return (e as NodeJS.ErrnoException).code === 'EPERM'; }
  };
  try {
    const dead = new Set((await driver.list()).filter((c) => c.session && !alive(c.session)).map((c) => c.session));
    for (const session of dead) await driver.sweep({ session });
  } catch { /* sweeping is best effort; the real work reports real errors */ }
}

/** Opens the target container: the user's (must be running) or a new throwaway one. */
export async function openTarget(opts: TargetOptions): Promise<Target> {
  // Kept containers get a session without a pid, so no later sweep of dead sessions removes them.
  const driver = await connect(opts.runtime, opts.keep ? `keep-${randomBytes(4).toString('hex')}` : undefined, opts.onFallback);
  if (opts.container) {
    // Not inspected first (a daemon round trip on the hot path): the first exec fails with a
    // ContainerError that says the container does not exist or is not running.
    return { driver, container: opts.container, image: '', created: false, close: async () => undefined };
  }
  let image = opts.image ?? DEFAULT_IMAGE;
  let exists: boolean;
  try { exists = await driver.imageExists(image); } catch (e) { throw new EnvironmentError((e as Error).message); }
  if (!exists && opts.standIn && opts.standIn !== image) {
    let standInHere: boolean;
    try { standInHere = await driver.imageExists(opts.standIn); } catch (e) { throw new EnvironmentError((e as Error).message); }
    const command = buildCommandFor(opts.standIn);
    if (!standInHere) {
      throw new EnvironmentError(`Image ${image}${opts.imageFrom ? ` (from ${opts.imageFrom})` : ''} is not available to ${driver.runtime.name}, nor ${opts.standIn}, ` +
        `Cloche's image of the same release that stands in for it: ${command ? `build that with \`${command}\` (from Debian's mirror, no registry needed)` : `pull ${image}`}.`);
    }
    opts.onNote?.(`${image} is not available to ${driver.runtime.name}; running on ${opts.standIn}, Cloche's image of the same Debian release`);
    image = opts.standIn;
    exists = true;
  }
  if (!exists) {
    const command = buildCommandFor(image);
    const build = command ? `build it with \`${command}\` (from Debian's mirror, no registry needed)` : `pull or build it (${driver.runtime.name} pull ${image}), or pass --image cloche/debian:12`;
    throw new EnvironmentError(`Image ${image}${opts.imageFrom ? ` (from ${opts.imageFrom})` : ''} is not available to ${driver.runtime.name}: ${build}.`);
  }
  void sweepDeadSessions(driver);
  const unregister = driver.cleanupOnExit();
  let id: string;
  try {
    const labels: Record<string, string> = opts.keep ? { [KEEP_LABEL]: 'true' } : {};
    if (opts.workspace) labels[LABELS.workspace] = opts.workspace;
    id = await driver.create({ image, network: opts.network, labels, nodeName: opts.nodeName,
      init: opts.init, privileged: opts.privileged, memory: opts.memory, pidsLimit: opts.pidsLimit });
  } catch (e) {
    throw e instanceof ContainerError ? new EnvironmentError(e.message) : e;
  }
  return {
    driver, container: id, image, created: true,
    close: async () => {
      if (opts.keep) { unregister(); return; }
      try { await driver.destroy(id); } catch { /* the exit hook retries */ }
    },
  };
}

/** Reads the container's facts in one exec. */
export async function readFacts(driver: ContainerDriver, container: string): Promise<PlatformFacts> {
  const r = await driver.exec(container, FACTS_SCRIPT, { timeoutMs: 30_000 });
  try {
    return factsToPlatform(parseFacts(r.stdout));
  } catch (e) {
    throw new EnvironmentError(`Could not read the container's facts (${(e as Error).message}); is it a Linux image with /bin/sh?`);
  }
}

/**
 * What an {@link InputLoader} returns: the input, the model's diagnostics, what could not be
 * honoured, and the findings that mean the run does not compile (`compileFailures.ts`).
 */
export interface LoadedInput { input: EngineInput; diagnostics: Diagnostic[]; warnings: string[]; failures: Diagnostic[] }

/**
 * Compiles the loaded input for the facts, an optional run list, and the run's inputs (node
 * attributes, roles, environment, policy; applied before the attribute files run, as Chef does).
 */
export type InputLoader = (facts: PlatformFacts, runList?: string[], inputs?: RunInputs) => LoadedInput;

/**
 * Loads what the engine runs — an engine-input JSON file, or a cookbook/recipe through the model —
 * as far as it can without facts (reading and parsing files), so the caller can overlap that with
 * reading the container's facts; the returned function compiles for the facts. `expectedRunList`:
 * the run list the loader will be called with, when known (its world is made here).
 */
export function prepareInput(target: string, expectedRunList?: string[]): InputLoader {
  const abs = path.resolve(target);
  if (!fs.existsSync(abs)) throw new EnvironmentError(`${target}: no such file or directory`);
  if (abs.endsWith('.json')) {
    const input = engineInputFromJson(JSON.parse(fs.readFileSync(abs, 'utf8')));
    return (facts, _runList, inputs) => ({
      input: { ...input, facts: input.facts ?? facts }, diagnostics: [], failures: [],
      warnings: inputs?.layers.length ? ['node attributes are not applied to an engine-input .json file (it is already compiled)'] : [],
    });
  }
  const ws = new Workspace(searchRootsFor(abs), true);
  ws.scan();
  const models = new ModelSet(ws, () => []);
  const home = ws.cookbookOf(abs);
  // The run's cookbooks as Chef's tooling resolves them from this cookbook's repository (a suite's
  // `test::default` is the repository's own `test`); a dependency nothing satisfies stops the run, as it stops Chef.
  const modelForRun = (rl: string[]) => {
    const unresolved = models.runResolution(home, rl).findings.filter((d) => RESOLUTION_ERRORS.has(d.code));
    if (unresolved.length) throw new EnvironmentError(unresolved.map((d) => `${path.relative(process.cwd(), d.file) || d.file}:${d.line}: ${d.message}`).join('\n'));
    return models.modelForRun(home, rl);
  };
  // The world of the run list the caller expects is made now (libraries evaluated while the facts are read).
  const expected = expectedRunList ?? (home ? models.modelOf(home).runListFor(abs) : undefined);
  if (expected) modelForRun(expected);
  return (facts, runList, inputs) => {
    const rl = runList ?? (home ? models.modelOf(home).runListFor(abs) : undefined);
    if (!rl) throw new EnvironmentError(`${target} is not a recipe file or a cookbook folder (no metadata.rb found)`);
    const model = modelForRun(rl);
    const { graph, contentOf } = model.graphWithContent(rl, facts, inputs);
    return { input: { resources: graph.resources.map(toEngineResource), facts, contentOf }, diagnostics: graph.diagnostics, warnings: [], failures: compileFailures(graph) };
  };
}

/** Loads and compiles in one go (see {@link prepareInput}). */
export function loadInput(target: string, facts: PlatformFacts, runList?: string[], inputs?: RunInputs): LoadedInput {
  return prepareInput(target)(facts, runList, inputs);
}

export { LABELS };
