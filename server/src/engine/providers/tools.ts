/**
 * The container's own tools that some providers run (tar, unzip, git, gem …): which package
 * brings each, and what a step says when one is missing — an assumption when an earlier package
 * step of the run installs that package, otherwise an unknown naming the package to install.
 */
import type { PlatformFacts } from '../../chef/platforms';
import type { VirtualState } from '../state';

/** Debian's package for a command, and RPM distributions' where it differs. */
const PACKAGES: Record<string, { deb: string; rpm?: string }> = {
  tar: { deb: 'tar' }, gzip: { deb: 'gzip' }, xz: { deb: 'xz-utils', rpm: 'xz' }, bzip2: { deb: 'bzip2' }, zstd: { deb: 'zstd' },
  unzip: { deb: 'unzip' }, git: { deb: 'git' }, gem: { deb: 'ruby', rpm: 'rubygems' }, curl: { deb: 'curl' }, wget: { deb: 'wget' },
};

/** The package that installs `tool` on this platform (the tool's own name when Cloche knows no other). */
export function toolPackage(tool: string, facts: PlatformFacts | undefined): string {
  const p = PACKAGES[tool];
  if (!p) return tool;
  return facts?.packageManager === 'dnf' || facts?.packageManager === 'yum' ? p.rpm ?? p.deb : p.deb;
}

/** The earlier step of this run that installs package `pkg` (a package step planned before this one), if any. */
export function installedEarlierBy(state: VirtualState, pkg: string): string | undefined {
  for (const manager of [undefined, 'rpm'] as const) {
    const p = state.pkg(pkg, manager);
    if (p.ok && p.value.by && p.value.installed !== undefined) return p.value.by;
  }
  return undefined;
}

/**
 * A tool the step needs is not in the container: an earlier step of this run that installs its
 * package makes the step an assumption; otherwise the step is unknown with `why` and the package.
 */
export function missingTool(state: VirtualState, facts: PlatformFacts | undefined, tool: string, why: string): { assumption: string } | { unknown: string } {
  const pkg = toolPackage(tool, facts);
  const by = installedEarlierBy(state, pkg);
  if (by) return { assumption: `${tool} is installed by ${by} earlier in this run (package ${pkg})` };
  return { unknown: `${why}: ${tool} is not installed in the container (install package '${pkg}' earlier in the run, or use an image that has it)` };
}
