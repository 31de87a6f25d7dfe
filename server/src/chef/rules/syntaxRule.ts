/** Syntax errors from prism, with exact UTF-16 ranges. */
import type { Diagnostic } from '../../protocol';
import type { Workspace } from '../workspace';

export const SYNTAX_ERROR = 'syntax-error';

export function syntaxDiagnostics(ws: Workspace, file: string): Diagnostic[] {
  const parsed = ws.parse(file);
  if (!parsed) return [];
  return parsed.errors.map((e) => {
    const start = parsed.lines.position(e.startOffset);
    const end = parsed.lines.position(e.startOffset + Math.max(e.length, 0));
    return {
      file, line: start.line + 1, column: start.character + 1, endLine: end.line + 1, endColumn: end.character + 1,
      severity: 'error' as const, code: SYNTAX_ERROR, message: e.message[0].toUpperCase() + e.message.slice(1) + '.',
    };
  });
}

/** The Ruby files of a cookbook that Chef loads. */
export function rubyFilesOf(cb: { files: { attributes: string[]; recipes: string[]; resources: string[]; providers: string[]; definitions: string[]; libraries: string[] }; metadataFile?: string }): string[] {
  const f = cb.files;
  return [...f.attributes, ...f.recipes.filter((r) => r.endsWith('.rb')), ...f.resources, ...f.providers, ...f.definitions, ...f.libraries, ...(cb.metadataFile?.endsWith('.rb') ? [cb.metadataFile] : [])];
}
