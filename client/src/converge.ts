/**
 * "Cloche: Converge in Throwaway Container": runs `cloche converge --idempotence --format jsonl` for
 * the active recipe, streams per-resource progress into the "Cloche Converge" output, ends with the
 * idempotence verdict, and turns a failure or a non-idempotent resource into Problems on its line.
 */
import * as vscode from 'vscode';
import type { ConvergeReport } from '../../server/src/protocol';
import { EngineCliError, lastLines } from './engineCli';
import { abortOn, pickSubject, showEngineError, type EngineDeps } from './engineUi';
import { targetFlags } from './engineTarget';
import { convergeProblems, parseProgressLine, progressText, verdictOf, type ConvergeProblem } from './convergeStream';

export interface ConvergeDeps extends EngineDeps {
  output: vscode.OutputChannel;
  problems: vscode.DiagnosticCollection;
}

export async function convergeCommand(deps: ConvergeDeps, uri?: vscode.Uri): Promise<ConvergeReport | undefined> {
  const subject = pickSubject(uri);
  if (!subject) return undefined;
  await vscode.workspace.saveAll(false);
  const settings = deps.settings();
  const out = deps.output;
  out.clear();
  out.show(true);
  deps.problems.clear();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cloche: converging ${subject.label}`, cancellable: true }, async (progress, token) => {
    const args = ['converge', subject.path, '--idempotence', '--format', 'jsonl', '--network', settings.converge.network, ...targetFlags(settings)];
    out.appendLine(`$ cloche ${args.join(' ')}`);
    let report: ConvergeReport | undefined;
    const r = await deps.cli.run({
      args, cwd: subject.cookbookDir, timeoutMs: settings.timeouts.convergeSeconds * 1000, signal: abortOn(token),
      onLine: (line) => {
        const p = parseProgressLine(line);
        if (!p) { out.appendLine(line); return; }
        if (p.kind === 'event' && p.event.kind === 'step-start') progress.report({ message: `${p.event.step.resource} :${p.event.step.action}` });
        if (p.kind === 'idempotence-start') progress.report({ message: 'checking idempotence…' });
        if (p.kind === 'report') report = p.report;
        out.append(progressText(p));
      },
      onStderr: (chunk) => out.append(chunk),
    });
    if (!report) {
      const why = r.cancelled ? 'cancelled' : r.timedOut ? `stopped after ${settings.timeouts.convergeSeconds} s` : lastLines(r.stderr) || `exit code ${r.code}`;
      await showEngineError(`the converge of ${subject.label}`, new EngineCliError(why, r), deps.log);
      return undefined;
    }
    deps.problems.set(groupByFile(convergeProblems(report)));
    const verdict = verdictOf(report);
    out.appendLine(`\n${verdict.ok ? '✔' : '✘'} ${subject.label}: ${verdict.text}`);
    if (verdict.ok) void vscode.window.showInformationMessage(`Cloche: ${subject.label} ${verdict.text}.`);
    else void vscode.window.showWarningMessage(`Cloche: ${subject.label} ${verdict.text}.`, 'Show Problems').then((p) => { if (p) void vscode.commands.executeCommand('workbench.actions.view.problems'); });
    return report;
  });
}

/** Problems as VS Code diagnostics, grouped per file. */
export function groupByFile(problems: ConvergeProblem[]): [vscode.Uri, vscode.Diagnostic[]][] {
  const byFile = new Map<string, vscode.Diagnostic[]>();
  for (const p of problems) {
    const l = p.location;
    const range = new vscode.Range(l.line - 1, Math.max(0, l.column - 1), (l.endLine ?? l.line) - 1, Math.max(0, (l.endColumn ?? l.column + 1) - 1));
    const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
    d.source = 'cloche converge';
    d.code = p.code;
    byFile.set(l.file, [...(byFile.get(l.file) ?? []), d]);
  }
  return [...byFile].map(([f, ds]) => [vscode.Uri.file(f), ds]);
}
