/**
 * The editor's choices for runs: the run settings (a node attributes file, inline attributes, an
 * environment, the node name) and a kitchen suite (and platform) picked per kitchen file. Each cookbook's run is
 * set up from them (`chef/inputs/runSetup.ts`) and cached until a choice or an input file changes.
 * The platform of a cookbook: the picked kitchen platform when it names a profile, else the
 * platform setting, else (setting `auto`) what the cookbook's metadata supports.
 * No LSP imports here.
 */
import * as path from 'node:path';
import type { Diagnostic } from './protocol';
import type { Cookbook, Workspace } from './chef/workspace';
import { setUpRun, type RunRequest, type RunSetup } from './chef/inputs/runSetup';
import { InputError, parseJsonDocument } from './chef/inputs/inputFile';
import { nodeJsonInputs } from './chef/inputs/nodeAttributes';
import { combineInputs } from './chef/inputs/runInputs';
import { chooseKitchen, readKitchen, suiteRunsOn, type KitchenInfo } from './engine/kitchen';
import { kitchenFile } from './engine/kitchenFile';
import { repositoryRoot } from './chef/repository';
import { getPlatformProfile, type PlatformFacts } from './chef/platforms';
import { cookbookSupports, defaultPlatformFor } from './chef/supports';
import { DEFAULT_IMAGE } from './engine/session';

export interface RunSettings {
  /** A chef-client -j JSON file (relative to the first workspace folder). */
  attributesFile?: string;
  /** Node attributes in the same forms as that file (inline JSON in the settings). */
  attributes?: Record<string, unknown>;
  environment?: string;
  /** The node name of the run (`node.name`, hostname and fqdn); absent: the placeholder of chef/nodeName.ts. */
  nodeName?: string;
}

export interface SuitePick {
  suite: string;
  /** A kitchen platform of the file (its name picks the platform profile when it is one). */
  platform?: string;
}

/** A cookbook's run as the editor sets it up. */
export interface CookbookRun {
  setup: RunSetup;
  facts: PlatformFacts;
  /** Why these facts (`kitchen platform debian-12`, `supports 'windows'`, `setting`). */
  platformFrom: string;
  kitchenFile?: string;
  suite?: SuitePick;
  /** Input problems as diagnostics, at their file and line (the kitchen file or the metadata when they have none). */
  diagnostics: Diagnostic[];
}

/** Files whose change redoes every run's setup (besides the attributes file and the kitchen files). */
export function isRunInputFile(file: string): boolean {
  const parts = file.split(path.sep);
  const base = parts[parts.length - 1];
  return /^\.?kitchen(\..+)?\.ya?ml$/.test(base) || base === 'Policyfile.rb' || base === 'Policyfile.lock.json'
    || (/\.(json|rb)$/.test(base) && (parts.includes('roles') || parts.includes('environments')));
}

export class RunChoices {
  settings: RunSettings = {};
  /** `auto`: each cookbook's supports decides; else a profile name. */
  platform = 'auto';
  private readonly picks = new Map<string, SuitePick>();
  private readonly runs = new Map<string, CookbookRun>();

  constructor(private readonly ws: () => Workspace, private readonly base: () => string) {}

  /** New settings; true when they change any run. */
  configure(settings: RunSettings, platform: string): boolean {
    const changed = JSON.stringify(settings) !== JSON.stringify(this.settings) || platform !== this.platform;
    this.settings = settings;
    this.platform = platform;
    if (changed) this.runs.clear();
    return changed;
  }

  /** Picks a suite of a kitchen file (undefined: none, every recipe on its own). */
  pick(kitchen: string, pick: SuitePick | undefined): void {
    if (pick) this.picks.set(path.resolve(kitchen), pick); else this.picks.delete(path.resolve(kitchen));
    this.runs.clear();
  }

  picked(kitchen: string): SuitePick | undefined {
    return this.picks.get(path.resolve(kitchen));
  }

  /** An input changed on disk or in the editor: every run is set up again. */
  forget(): void {
    this.runs.clear();
  }

  /** Whether a file is one the runs read (so its change redoes them). */
  reads(file: string): boolean {
    const abs = path.resolve(file);
    return isRunInputFile(abs) || (this.settings.attributesFile !== undefined && abs === this.attributesPath());
  }

  /** The kitchen file of the repository a cookbook belongs to. */
  kitchenOf(cb: Cookbook): string | undefined {
    return kitchenFile(repositoryRoot(cb.dir)) ?? kitchenFile(cb.dir);
  }

  runOf(cb: Cookbook): CookbookRun {
    const cached = this.runs.get(cb.dir);
    if (cached) return cached;
    const kitchen = this.kitchenOf(cb);
    const run = this.setUp(cb, kitchen ? this.picks.get(path.resolve(kitchen)) : undefined);
    this.runs.set(cb.dir, run);
    return run;
  }

  /**
   * The cookbook's run with another suite than the picked one (`null`: none, the recipe on its own),
   * for a comparison of two suites; not cached, the picks unchanged.
   */
  runWith(cb: Cookbook, pick: SuitePick | null): CookbookRun {
    return this.setUp(cb, pick ?? undefined);
  }

  /** The suites of a cookbook's kitchen file, with the platforms each runs on (for the picker). */
  suitesOf(cb: Cookbook): { kitchenFile: string; kitchen: KitchenInfo } | { error: string } | undefined {
    const file = this.kitchenOf(cb);
    if (!file) return undefined;
    try {
      const kitchen = readKitchen(path.dirname(file), DEFAULT_IMAGE);
      return kitchen ? { kitchenFile: file, kitchen } : undefined;
    } catch (e) { return { error: (e as Error).message }; }
  }

  private attributesPath(): string | undefined {
    return this.settings.attributesFile ? path.resolve(this.base(), this.settings.attributesFile) : undefined;
  }

  private setUp(cb: Cookbook, pick: SuitePick | undefined): CookbookRun {
    const errors: InputError[] = [];
    const req: RunRequest = { searchFrom: cb.dir };
    const attributesFile = this.attributesPath();
    if (attributesFile) req.attributesFile = attributesFile;
    if (this.settings.environment) req.environment = this.settings.environment;
    if (this.settings.nodeName) req.nodeName = this.settings.nodeName;
    const kitchen = this.kitchenOf(cb);
    let kitchenPlatform: string | undefined;
    if (kitchen && pick) {
      try {
        const info = readKitchen(path.dirname(kitchen), DEFAULT_IMAGE);
        const choice = chooseKitchen(info, { suite: pick.suite, platform: pick.platform });
        if (choice.runList?.length) req.runList = { items: choice.runList, origin: { label: `suite ${pick.suite}`, file: kitchen } };
        if (choice.attributes) req.kitchenAttributes = { values: choice.attributes, label: `suite ${pick.suite} attributes`, file: kitchen };
        const p = choice.provisioner;
        if (p?.policyfile) req.policyfile = p.policyfile;
        if (p?.namedRunList) req.namedRunList = p.namedRunList;
        if (p?.rolesPath) req.rolesPath = p.rolesPath;
        if (p?.environmentsPath) req.environmentsPath = p.environmentsPath;
        if (p?.environment && !req.environment) req.environment = p.environment;
        if (choice.suite?.ignored) req.notes = choice.suite.ignored;
        kitchenPlatform = choice.platform?.name;
      } catch (e) {
        errors.push(new InputError((e as Error).message, kitchen, 1));
      }
    }
    const setup = setUpRun(req);
    setup.errors.unshift(...errors);
    if (this.settings.attributes) {
      try {
        const inline = nodeJsonInputs(parseJsonDocument('settings', JSON.stringify(this.settings.attributes)), 'setting cloche.run.attributes');
        setup.inputs = combineInputs(setup.inputs, inline);
      } catch (e) { if (e instanceof InputError) setup.errors.push(new InputError(`the setting cloche.run.attributes: ${e.message}`)); else throw e; }
    }
    const { facts, from } = this.factsFor(cb, kitchenPlatform);
    const anchor = kitchen ?? cb.metadataFile ?? path.join(cb.dir, 'metadata.rb');
    const diagnostics = setup.errors.map((e): Diagnostic => ({
      file: e.file && e.file !== 'settings' ? e.file : anchor, line: e.line ?? 1, column: e.column ?? 1, endLine: e.line ?? 1, endColumn: (e.column ?? 1) + 1,
      severity: 'error', code: 'run-input', message: e.message,
    }));
    return { setup, facts, platformFrom: from, ...(kitchen ? { kitchenFile: kitchen } : {}), ...(pick ? { suite: pick } : {}), diagnostics };
  }

  private factsFor(cb: Cookbook, kitchenPlatform: string | undefined): { facts: PlatformFacts; from: string } {
    const fromKitchen = kitchenPlatform ? getPlatformProfile(kitchenPlatform) : undefined;
    if (fromKitchen) return { facts: fromKitchen, from: `kitchen platform ${kitchenPlatform}` };
    const set = this.platform !== 'auto' ? getPlatformProfile(this.platform) : undefined;
    if (set) return { facts: set, from: 'the cloche.platform setting' };
    const chosen = defaultPlatformFor(cookbookSupports(this.ws(), cb.dir));
    return { facts: getPlatformProfile(chosen.profile)!, from: chosen.from ? `${chosen.from} in its metadata` : 'the default' };
  }
}

/** The platforms of a kitchen file a suite runs on (for the picker). */
export function suitePlatforms(kitchen: KitchenInfo, suite: string): string[] {
  const s = kitchen.suites.find((x) => x.name === suite);
  return s ? kitchen.platforms.filter((p) => suiteRunsOn(s, p.name)).map((p) => p.name) : [];
}
