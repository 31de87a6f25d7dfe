/** `cloche/renderedContent`: the files a document's template, cookbook_file and file resources would write (the preview). */
import { RenderedContentRequest, type RenderedFile } from '../customMethods';
import { renderedFilesAt } from '../lang/renderedContent';
import type { Feature } from './session';

export const renderedContent: Feature = {
  capabilities() {
    return { experimental: { clocheRenderedContent: true } };
  },
  register(session) {
    session.connection.onRequest(RenderedContentRequest, session.handle('cloche/renderedContent', [] as RenderedFile[], (params) => {
      const view = session.view(params.uri);
      return view ? renderedFilesAt(view, { position: params.position, resource: params.resource }) : [];
    }));
  },
};
