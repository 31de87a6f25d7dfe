/**
 * The client's settings (section `cloche`), typed and read in one place. The language server reads its
 * own keys (server/src/settings.ts); a unit test keeps both lists in step with package.json
 * `contributes.configuration`.
 *
 * How to add a setting: add it to `ClientSettings` and `DEFAULTS`, read it in `readClientSettings`, list
 * its key in `CLIENT_SETTING_KEYS`, and declare it in package.json
 * `contributes.configuration` (test/unit/settings.test.ts fails until you do).
 * No vscode import: the reader takes a `get` function, so tests run in plain Node.
 */
import { validNodeName } from '../../server/src/chef/nodeName';

export type ContainerRuntime = 'auto' | 'docker' | 'podman';
export type ConvergeNetwork = 'host' | 'bridge' | 'none';
export type TraceLevel = 'off' | 'messages' | 'verbose';

export interface ClientSettings {
  /** Platform profile the graph and diagnostics use (shared with the server). */
  platform: string;
  container: {
    /** Which container CLI to use; `auto` takes docker, then podman. */
    runtime: ContainerRuntime;
    /** Image per platform profile (`{ "ubuntu-24.04": "my/ubuntu:24.04" }`); missing ones use the local base image. */
    images: Record<string, string>;
    /** Memory limit of throwaway containers (`--memory`, docker syntax). */
    memory: string;
    /** Most processes in a throwaway container (`--pids-limit`). */
    pidsLimit: number;
  };
  converge: {
    /** Network of converge containers (bridge reaches the package mirror); plans always run with no network. */
    network: ConvergeNetwork;
  };
  /** The run's node name (shared with the server, which renders previews for it); '' for Cloche's placeholder. */
  run: { nodeName: string };
  timeouts: {
    /** Seconds a dry run may take. */
    planSeconds: number;
    /** Seconds a converge may take. */
    convergeSeconds: number;
  };
  test: {
    /** Kitchen cells the Test Explorer's matrix runs at once (`--concurrency`); 0 leaves it to the CLI (idle CPUs within free memory). */
    concurrency: number;
    /** Docker hosts the matrix spreads its cells over (each a repeated `--host`); none: the runtime's own. */
    hosts: string[];
  };
  graph: {
    /** Milliseconds after the last keystroke before the graph preview recomputes. */
    updateDelayMs: number;
  };
  /** Inlay hints after `node['a']['b']` (read by the server). */
  inlayHints: { attributeValues: boolean };
  /** Traces the LSP traffic into the output channel (read by the language client). */
  trace: { server: TraceLevel };
}

export const DEFAULTS: ClientSettings = {
  platform: 'auto',
  container: { runtime: 'auto', images: {}, memory: '2g', pidsLimit: 2048 },
  converge: { network: 'bridge' },
  run: { nodeName: '' },
  timeouts: { planSeconds: 300, convergeSeconds: 1800 },
  test: { concurrency: 0, hosts: [] },
  graph: { updateDelayMs: 300 },
  inlayHints: { attributeValues: true },
  trace: { server: 'off' },
};

/** Keys under `cloche.` this module reads. */
export const CLIENT_SETTING_KEYS = [
  'cloche.platform',
  'cloche.container.runtime',
  'cloche.container.images',
  'cloche.container.memory',
  'cloche.container.pidsLimit',
  'cloche.converge.network',
  'cloche.run.nodeName',
  'cloche.timeouts.planSeconds',
  'cloche.timeouts.convergeSeconds',
  'cloche.test.concurrency',
  'cloche.test.hosts',
  'cloche.graph.updateDelayMs',
  'cloche.inlayHints.attributeValues',
  'cloche.trace.server',
] as const;

/** Reads every client setting through `get(key)` (key without the `cloche.` prefix); bad values fall back to defaults. */
export function readClientSettings(get: (key: string) => unknown): ClientSettings {
  const str = <T extends string>(key: string, allowed: readonly T[] | null, def: T): T => {
    const v = get(key);
    return typeof v === 'string' && (allowed === null ? v.length > 0 : (allowed as readonly string[]).includes(v)) ? (v as T) : def;
  };
  const num = (key: string, def: number, min: number) => {
    const v = get(key);
    return typeof v === 'number' && Number.isFinite(v) && v >= min ? v : def;
  };
  const imagesRaw = get('container.images');
  const images: Record<string, string> = {};
  if (imagesRaw && typeof imagesRaw === 'object' && !Array.isArray(imagesRaw)) {
    for (const [k, v] of Object.entries(imagesRaw)) if (typeof v === 'string' && v) images[k] = v;
  }
  const hints = get('inlayHints.attributeValues');
  const memory = get('container.memory');
  const nodeName = get('run.nodeName');
  const hosts = get('test.hosts');
  return {
    platform: str('platform', null, DEFAULTS.platform),
    container: {
      runtime: str('container.runtime', ['auto', 'docker', 'podman'], DEFAULTS.container.runtime), images,
      memory: typeof memory === 'string' && /^\d+(\.\d+)?[bkmg]?$/i.test(memory) ? memory : DEFAULTS.container.memory,
      pidsLimit: Math.floor(num('container.pidsLimit', DEFAULTS.container.pidsLimit, 1)),
    },
    converge: { network: str('converge.network', ['bridge', 'host', 'none'], DEFAULTS.converge.network) },
    run: { nodeName: typeof nodeName === 'string' && validNodeName(nodeName.trim()) ? nodeName.trim() : DEFAULTS.run.nodeName },
    timeouts: { planSeconds: num('timeouts.planSeconds', DEFAULTS.timeouts.planSeconds, 1), convergeSeconds: num('timeouts.convergeSeconds', DEFAULTS.timeouts.convergeSeconds, 1) },
    test: {
      concurrency: Math.floor(num('test.concurrency', DEFAULTS.test.concurrency, 0)),
      hosts: Array.isArray(hosts) ? hosts.filter((h): h is string => typeof h === 'string' && h.trim().length > 0).map((h) => h.trim()) : [...DEFAULTS.test.hosts],
    },
    graph: { updateDelayMs: num('graph.updateDelayMs', DEFAULTS.graph.updateDelayMs, 0) },
    inlayHints: { attributeValues: typeof hints === 'boolean' ? hints : DEFAULTS.inlayHints.attributeValues },
    trace: { server: str('trace.server', ['off', 'messages', 'verbose'], DEFAULTS.trace.server) },
  };
}
