/** `cloche.revealLocation`: opens a file at a range, for code actions that point somewhere (the other declaration of a duplicate resource). */
import * as vscode from 'vscode';
import type { RevealLocationArgs } from '../../server/src/customMethods';

export async function revealLocation(arg: unknown): Promise<void> {
  if (!isLocation(arg)) return;
  const { start, end } = arg.range;
  const range = new vscode.Range(start.line, start.character, end.line, end.character);
  await vscode.window.showTextDocument(vscode.Uri.parse(arg.uri), { selection: range, preview: true });
}

function isLocation(v: unknown): v is RevealLocationArgs {
  const o = v as RevealLocationArgs | undefined;
  const pos = (p: unknown) => typeof (p as { line?: unknown })?.line === 'number' && typeof (p as { character?: unknown })?.character === 'number';
  return typeof o?.uri === 'string' && pos(o.range?.start) && pos(o.range?.end);
}
