/** `cloche/fidelity`: how well Cloche knows the run of a document's cookbook (chef/fidelity.ts). */
import { FidelityRequest } from '../customMethods';
import type { FidelityStats } from '../protocol';
import { fidelityOf } from '../chef/fidelity';
import { URI } from '../documents';
import type { Feature } from './session';

export const fidelity: Feature = {
  capabilities() {
    return { experimental: { clocheFidelity: true } };
  },
  register(session) {
    session.connection.onRequest(FidelityRequest, session.handle('cloche/fidelity', null as FidelityStats | null, (params) => {
      const a = session.analysis;
      const file = URI.toPath(params.uri);
      const ca = file ? a.forFile(file) : undefined;
      return ca?.compilation ? fidelityOf([ca.compilation], ca.compilation.facts.profile, 5) : null;
    }));
  },
};
