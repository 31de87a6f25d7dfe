/**
 * What the editor's container commands run against, from the settings and the active file: the
 * cookbook (the folder with metadata.rb above the file) and the CLI flags for the runtime and image.
 * No vscode import (tested in plain Node).
 */
import { enclosingCookbook } from '../../server/src/chef/enclosingCookbook';
import path from 'node:path';
import type { ClientSettings } from './settings';

/** What to plan or converge for a file: a recipe itself, or (any other cookbook file) the cookbook's default recipe. */
export interface EngineSubject {
  /** The PATH argument of the CLI. */
  path: string;
  cookbookDir: string;
  /** "webserver::default", as the user thinks of it. */
  label: string;
}

export function subjectOf(file: string): EngineSubject | undefined {
  const cookbookDir = enclosingCookbook(file);
  if (!cookbookDir) return undefined;
  const cookbook = path.basename(cookbookDir);
  const m = /[\\/]recipes[\\/]([^\\/]+)\.(rb|ya?ml)$/.exec(file);
  return m && path.dirname(path.dirname(file)) === cookbookDir
    ? { path: file, cookbookDir, label: `${cookbook}::${m[1]}` }
    : { path: cookbookDir, cookbookDir, label: `${cookbook}::default` };
}

/** `--runtime R` unless the setting is `auto`. */
export function runtimeFlags(settings: ClientSettings): string[] {
  return settings.container.runtime === 'auto' ? [] : ['--runtime', settings.container.runtime];
}

/**
 * `--runtime`, the throwaway container's limits (`--memory`, `--pids-limit`) and the run's node name
 * (`--node-name`, when the setting gives one): for plan, converge and test.
 */
export function containerFlags(settings: ClientSettings): string[] {
  return [...runtimeFlags(settings), '--memory', settings.container.memory, '--pids-limit', String(settings.container.pidsLimit),
    ...(settings.run.nodeName ? ['--node-name', settings.run.nodeName] : [])];
}

/** The CLI flags that follow from the settings: runtime, limits, and the image configured for the platform profile. */
export function targetFlags(settings: ClientSettings): string[] {
  const flags = containerFlags(settings);
  const image = settings.container.images[settings.platform];
  if (image) flags.push('--image', image);
  return flags;
}
