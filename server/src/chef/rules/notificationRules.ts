/** Rules about notifications and subscriptions: malformed targets, dangling targets, timers. */
import type { Diagnostic, DiagnosticData } from '../../protocol';
import { suggest } from '../catalog/catalog';
import type { NotificationDecl } from '../resourceDecl';
import { type Rule, diag } from './ruleTypes';

export const malformedNotification: Rule = {
  code: 'malformed-notification',
  explanation: "A notification target that is not of the form 'type[name]', or a timer Chef does not know.",
  run({ compilation }) {
    const out: Diagnostic[] = [];
    for (const r of compilation.resources) {
      for (const n of r.notifications) {
        if (n.malformed) out.push(diag(n.targetLoc ?? n.loc, 'error', this.code, `Malformed ${n.kind} target: ${n.malformed}.`));
        if (n.badTiming) out.push(diag(n.loc, 'error', this.code, `Unknown timer ${n.badTiming}: use :delayed, :immediately or :before.`));
      }
    }
    return out;
  },
};

export const danglingNotification: Rule = {
  code: 'dangling-notification',
  explanation: 'A notification or subscription whose target resource is not declared in the run.',
  run({ compilation, incompleteCookbooks }) {
    const out: Diagnostic[] = [];
    const missing = compilation.missingCookbooks.size > 0;
    let ids: Set<string> | undefined; // only made when a target dangles
    for (const r of compilation.resources) {
      for (const n of r.notifications) {
        if (n.malformed || n.targetUnknown || n.resolved || !n.targetType) continue;
        // A run that includes recipes from cookbooks outside the workspace may declare the target there.
        const unsure = missing || incompleteCookbooks.has(r.cookbook) || r.conditional !== undefined;
        const run = `${compilation.recipes.size} recipe${compilation.recipes.size === 1 ? '' : 's'} compiled for ${compilation.facts.profile}`;
        const data = { data: otherTargets(n, ids ??= new Set(compilation.resources.map((x) => x.id))) };
        if (n.kind === 'subscribes') {
          // Chef files a subscription under the target's name and only looks it up when that resource
          // converges: a target that is never declared is no error, the subscription just never fires.
          out.push(diag(n.targetLoc ?? n.loc, missing ? 'info' : 'warning', this.code, `Subscribes to ${n.target}, which is not declared in this run (${run}): Chef ignores the subscription, so it never fires.`, data));
        } else {
          out.push(diag(n.targetLoc ?? n.loc, missing ? 'info' : unsure ? 'warning' : 'error', this.code, `Notifies ${n.target}, which is not declared in this run (${run}).`, data));
        }
      }
    }
    return out;
  },
};

export const neverNotified: Rule = {
  code: 'never-notified',
  explanation: 'A resource with action :nothing that no notification or subscription triggers.',
  run({ compilation }) {
    const triggered = new Set<string>();
    for (const r of compilation.resources) {
      for (const n of r.notifications) {
        if (n.kind === 'notifies' && n.resolved) triggered.add(n.resolved.id);
        if (n.kind === 'subscribes') triggered.add(r.id);
        if (n.targetUnknown) return []; // a target we cannot read could be anything
      }
    }
    return compilation.resources
      .filter((r) => r.actions.length === 1 && r.actions[0] === 'nothing' && r.explicitAction && !r.compileTime && !triggered.has(r.id) && !r.parent)
      .map((r) => diag(r.actionLoc ?? r.loc, 'hint', this.code, `${r.id} has action :nothing and nothing notifies it, so it never runs.`, { tags: ['unnecessary'] }));
  },
};

/** Declared resources a dangling target may have meant: close ids, else up to three of the same type. */
function otherTargets(n: NotificationDecl, ids: Set<string>): DiagnosticData | undefined {
  const close = suggest(n.target, ids);
  const picks = close.length ? close : [...ids].filter((id) => n.targetType && id.startsWith(n.targetType + '[')).slice(0, 3);
  return picks.length && n.targetLoc ? { suggestions: picks, replace: n.targetLoc } : undefined;
}
