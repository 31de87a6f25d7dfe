/**
 * `cloche/runStatus` (the run a document's cookbook is analysed with: suite, platform and why,
 * inputs, input problems) and `cloche/pickSuite` (a kitchen suite and platform for a kitchen file,
 * or none): picking one redoes the diagnostics, hovers and graphs of the cookbooks of that file.
 */
import * as path from 'node:path';
import { PickSuiteNotification, RunStatusRequest, type RunStatus, type SuiteInfo } from '../customMethods';
import { URI } from '../documents';
import { suitePlatforms } from '../runChoices';
import type { KitchenInfo } from '../engine/kitchen';
import type { Feature } from './session';

export const runChoice: Feature = {
  capabilities() {
    return { experimental: { clocheRunChoice: true } };
  },
  register(session) {
    session.connection.onRequest(RunStatusRequest, session.handle('cloche/runStatus', null as RunStatus | null, (params) => {
      const a = session.analysis;
      const file = URI.toPath(params.uri);
      const cb = file ? a.ws.cookbookOf(path.resolve(file)) : undefined;
      if (!cb) return null;
      const run = a.runs.runOf(cb);
      const listed = a.runs.suitesOf(cb);
      const kitchen = listed && 'kitchen' in listed ? listed.kitchen : undefined;
      const status: RunStatus = {
        suites: kitchen ? kitchen.suites.map((s) => suiteInfo(kitchen, s.name)) : [],
        platform: run.facts.profile,
        platformFrom: run.platformFrom,
        inputs: [...new Set(run.setup.inputs.layers.map((l) => l.source.label))],
        errors: [...run.diagnostics.map((d) => `${path.basename(d.file)}:${d.line}: ${d.message}`), ...(listed && 'error' in listed ? [listed.error] : [])],
      };
      if (run.kitchenFile) status.kitchenFile = run.kitchenFile;
      if (run.suite) { status.suite = run.suite.suite; if (run.suite.platform) status.kitchenPlatform = run.suite.platform; }
      if (run.setup.inputs.environment) status.inputs.push(`environment ${run.setup.inputs.environment}`);
      return status;
    }));
    session.connection.onNotification(PickSuiteNotification, session.guard('cloche/pickSuite', (params) => {
      session.analysis.pickSuite(params.kitchenFile, params.suite ? { suite: params.suite, ...(params.kitchenPlatform ? { platform: params.kitchenPlatform } : {}) } : undefined);
      session.resultsChanged();
    }));
  },
};

function suiteInfo(kitchen: KitchenInfo, name: string): SuiteInfo {
  const s = kitchen.suites.find((x) => x.name === name)!;
  const policy = s.provisioner?.policyfile ?? kitchen.provisioner?.policyfile;
  const named = s.provisioner?.namedRunList ?? kitchen.provisioner?.namedRunList;
  const runs = s.runList.length ? s.runList.join(', ') : policy ? `${named ? `named run list ${named}` : 'the run list'} of ${path.basename(policy)}` : '(empty run list)';
  return { name, runs, platforms: suitePlatforms(kitchen, name) };
}
