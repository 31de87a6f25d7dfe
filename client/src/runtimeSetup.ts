/**
 * First-use commands (also the walkthrough's steps): "Check Container Runtime" runs `cloche doctor` and
 * reports what is there and what to do; "Build the Local Base Image" runs `cloche image build` in a
 * terminal, where its progress (debootstrap) stays visible.
 */
import * as vscode from 'vscode';
import { lastLines } from './engineCli';
import type { EngineDeps } from './engineUi';
import { runtimeFlags } from './engineTarget';

const DOCTOR_TIMEOUT_MS = 60_000;

export async function doctor(deps: EngineDeps & { onDone: (ready: boolean) => void }): Promise<boolean> {
  const r = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'Cloche: checking the container runtime' },
    () => deps.cli.run({ args: ['doctor', ...runtimeFlags(deps.settings())], timeoutMs: DOCTOR_TIMEOUT_MS }));
  for (const line of `${r.stdout}${r.stderr}`.split('\n').filter(Boolean)) deps.log.info(`doctor: ${line}`);
  const ready = r.code === 0;
  deps.onDone(ready);
  if (ready) {
    void vscode.window.showInformationMessage(`Cloche: ${lastLines(r.stdout, 1) || 'the container runtime is ready.'}`);
  } else {
    const picked = await vscode.window.showWarningMessage(`Cloche: the container runtime is not ready. ${lastLines(r.stdout + r.stderr, 2)}`, 'Show Output', 'Build Base Image');
    if (picked === 'Show Output') deps.log.show();
    else if (picked === 'Build Base Image') buildBaseImage(deps);
  }
  return ready;
}

/**
 * Builds a base image from Debian's packages (no registry) in a terminal: cloche/debian:12, or what
 * `args` asks (`['image', 'build', '--platform', 'debian-11']`, from a test whose image is not built).
 */
export function buildBaseImage(deps: EngineDeps, args?: unknown): void {
  const build = Array.isArray(args) && args[0] === 'image' && args[1] === 'build' && args.every((a) => typeof a === 'string') ? (args as string[]) : ['image', 'build'];
  const terminal = vscode.window.createTerminal({
    name: 'Cloche: base image',
    shellPath: process.execPath,
    shellArgs: [deps.cli.path, ...build, ...runtimeFlags(deps.settings())],
    env: { ELECTRON_RUN_AS_NODE: '1' },
  });
  terminal.show();
}
