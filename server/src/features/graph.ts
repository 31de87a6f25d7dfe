/** The typed custom requests: `cloche/graph` (Graph JSON for a document, cookbook or run list) and `cloche/platforms`. */
import * as path from 'node:path';
import { getPlatformProfile, listPlatformProfiles } from '../chef/platforms';
import { withContent } from '../chef/renderedContent';
import { GraphRequest, PlatformsRequest } from '../customMethods';
import type { Graph } from '../protocol';
import { URI } from '../documents';
import type { Feature } from './session';

export const graph: Feature = {
  capabilities() {
    return { experimental: { clocheGraph: true } };
  },
  register(session) {
    session.connection.onRequest(GraphRequest, session.handle('cloche/graph', null as Graph | null, (params) => {
      const a = session.analysis;
      const file = params.uri ? URI.toPath(params.uri) : undefined;
      // Another suite than the picked one (a comparison): its run list and inputs.
      const cb = file && params.suite !== undefined ? a.ws.cookbookOf(path.resolve(file)) : undefined;
      const chosen = cb ? a.runs.runWith(cb, params.suite ?? null) : undefined;
      const runList = params.runList?.length ? params.runList : params.cookbook ? [`${params.cookbook}::default`]
        : chosen?.setup.recipes ?? (file ? a.modelFor(file).runListFor(file) : undefined);
      if (!runList) return null;
      // The platform asked for, else the run's (a picked kitchen platform, the setting, the cookbook's supports).
      const facts = (params.platform && getPlatformProfile(params.platform)) || chosen?.facts;
      // The world of the document asking (its cookbook's resolution), else of the run list's cookbook.
      const { model, compilation } = a.compileRunList(runList, facts, file, chosen);
      const g = model.graph(compilation, runList);
      return params.withContent ? withContent(g, compilation) : g;
    }));
    session.connection.onRequest(PlatformsRequest, session.handle('cloche/platforms', [] as string[], () => listPlatformProfiles()));
  },
};
