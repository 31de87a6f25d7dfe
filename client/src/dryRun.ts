/**
 * "Cloche: Dry Run in Container": plans the active recipe (or its cookbook) in a throwaway container
 * through `cloche plan --format json --with-content`, under a cancellable progress notification, then
 * fills the plan store (Plan view, line annotations, diff editor) and the graph's node statuses.
 */
import * as vscode from 'vscode';
import type { Plan } from '../../server/src/protocol';
import type { NodePlanStatus } from '../webview/messages';
import { abortOn, pickSubject, showEngineError, type EngineDeps } from './engineUi';
import { targetFlags } from './engineTarget';
import type { PlanStore } from './plan/planStore';
import { stepSummary } from './plan/stepText';

export interface DryRunDeps extends EngineDeps {
  store: PlanStore;
  revealPlan: () => Promise<void>;
  showGraphStatuses: (statuses: NodePlanStatus[]) => void;
}

export async function dryRun(deps: DryRunDeps, uri?: vscode.Uri): Promise<Plan | undefined> {
  const subject = pickSubject(uri);
  if (!subject) return undefined;
  await vscode.workspace.saveAll(false);
  const settings = deps.settings();
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Cloche: dry run of ${subject.label}`, cancellable: true }, async (progress, token) => {
    progress.report({ message: 'starting a throwaway container (no network)…' });
    const args = ['plan', subject.path, '--format', 'json', '--with-content', ...targetFlags(settings)];
    deps.log.info(`cloche ${args.join(' ')}`);
    try {
      // Exit 1 means "a step would fail": still a plan to show.
      const { value: plan } = await deps.cli.json<Plan>({ args, cwd: subject.cookbookDir, timeoutMs: settings.timeouts.planSeconds * 1000, signal: abortOn(token) }, [0, 1]);
      deps.store.set(plan, subject.label, subject.cookbookDir);
      deps.showGraphStatuses(planStatuses(plan));
      const s = plan.summary;
      deps.log.info(`dry run of ${subject.label}: ${s.changed} to change, ${s.upToDate} up to date, ${s.skipped} skipped, ${s.unknown} unknown, ${s.failed} failing (${plan.timings.totalMs} ms, ${plan.timings.roundTrips} execs)`);
      for (const w of plan.warnings ?? []) deps.log.warn(w);
      await deps.revealPlan();
      return plan;
    } catch (e) {
      await showEngineError(`the dry run of ${subject.label}`, e, deps.log);
      return undefined;
    }
  });
}

/** The graph's node statuses from a plan: the last step of each resource wins (notified actions come later). */
export function planStatuses(plan: Plan): NodePlanStatus[] {
  const byResource = new Map<string, NodePlanStatus>();
  for (const s of plan.steps) {
    const prev = byResource.get(s.resource);
    if (prev?.status === 'change' && s.status !== 'change') continue; // a change is what the graph must show
    byResource.set(s.resource, { resource: s.resource, status: s.status, summary: stepSummary(s) });
  }
  return [...byResource.values()];
}
