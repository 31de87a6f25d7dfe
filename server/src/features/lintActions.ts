/**
 * Quick fixes for the linter's offences: RuboCop's own correction of the offence's cop
 * (`--autocorrect --only COP`, computed only when the fix is chosen: `codeAction/resolve`), for this
 * offence or every one of that cop in the file; and "Disable COP for this line" with RuboCop's own
 * `# rubocop:disable` comment (lint/disableComment.ts). A correction RuboCop holds unsafe is applied
 * only with `cloche.lint.autocorrect: all`; otherwise choosing it says so.
 */
import { CodeActionKind, type CodeAction, type Diagnostic } from 'vscode-languageserver/node';
import { rubocopDisableEdit } from '../lint/disableComment';
import { applyEdits, editsBetween, editsFor } from '../lint/textEdits';
import { URI } from '../documents';
import { isLintDiagnostic, lintDocument, type LintDiagnosticData } from './lint';
import type { Session } from './session';

/** What a fix action carries until it is resolved. */
interface LintFixData { lintFix: { uri: string; cop: string; tool: string; range: Diagnostic['range']; all: boolean } }

/** The linter's quick fixes for the diagnostics the client sent (none for Cloche's). */
export function lintCodeActions(session: Session, uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const service = session.lint;
  const file = URI.toPath(uri);
  if (!service || !file) return [];
  // Without resolve support each offer would be a run of RuboCop: only the comment is offered then.
  const resolves = !!session.client.textDocument?.codeAction?.resolveSupport?.properties.includes('edit');
  const parsed = file.endsWith('.rb') ? session.analysis.ws.parse(file) : undefined;
  const out: CodeAction[] = [];
  const titles = new Set<string>();
  const add = (a: CodeAction) => { if (!titles.has(a.title)) { titles.add(a.title); out.push(a); } };
  for (const d of diagnostics.filter(isLintDiagnostic)) {
    if (typeof d.code !== 'string') continue;
    const cop = d.code;
    const tool = String(d.source);
    if (resolves && (d.data as LintDiagnosticData | undefined)?.correctable) {
      const fix = (all: boolean): LintFixData => ({ lintFix: { uri, cop, tool, range: d.range, all } });
      add({ title: `Fix ${cop} here (${tool} autocorrect)`, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, data: fix(false) });
      const same = service.offences(uri).filter((o) => o.cop === cop && o.correctable).length;
      if (same > 1) add({ title: `Fix all ${same} ${cop} offences in this file (${tool} autocorrect)`, kind: CodeActionKind.QuickFix, diagnostics: [d], data: fix(true) });
    }
    const disable = parsed && rubocopDisableEdit(parsed, d.range.start.line, cop);
    if (disable) add({ title: `Disable ${cop} for this line`, kind: CodeActionKind.QuickFix, diagnostics: [d], edit: { changes: { [uri]: [{ range: disable.span, newText: disable.newText }] } } });
  }
  return out;
}

/** A chosen fix's edit: RuboCop's correction of the current text, limited to the offence unless all of the file's were asked for. */
export async function resolveLintAction(session: Session, action: CodeAction): Promise<CodeAction> {
  const fix = (action.data as Partial<LintFixData> | undefined)?.lintFix;
  const open = fix && session.served(fix.uri) ? session.documents.get(fix.uri) : undefined;
  const doc = open && session.lint && lintDocument(session, open);
  if (!fix || !doc || !session.lint) return action;
  const r = await session.lint.correct(doc, { only: fix.cop });
  const say = (message: string) => { void session.connection.window.showInformationMessage(`Cloche: ${message}`); };
  if (!r.ok) { if (r.why !== 'cancelled') say(r.message); return action; }
  const all = editsBetween(doc.text, r.value);
  const edits = fix.all ? all : editsFor(all, fix.range);
  if (!edits.length) {
    say(session.settings.lint.autocorrect === 'all'
      ? `${fix.tool} changed nothing for ${fix.cop} in this text.`
      : `${fix.tool}'s safe autocorrect leaves this ${fix.cop} offence as it is: its correction is marked unsafe (it may change what the code does), or there is none for this text. Set cloche.lint.autocorrect to "all" to allow unsafe corrections.`);
    return action;
  }
  session.lint.expect(doc.key, applyEdits(doc.text, edits));
  return { ...action, edit: { changes: { [fix.uri]: edits.map((e) => ({ range: e.span, newText: e.newText })) } } };
}
