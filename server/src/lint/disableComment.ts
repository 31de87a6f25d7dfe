/**
 * "Disable COP for this line" for a RuboCop/Cookstyle offence: RuboCop's own comment,
 * `# rubocop:disable Cop/Name`, at the end of the offence's first line (RuboCop honours it for that
 * line only), or the cop added to such a comment already there. Cloche's `# cloche:` comments are
 * for Cloche's findings; RuboCop reads only its own. Pure.
 */
import type { ParsedRuby } from '../ruby/prism';
import { insideMultiLineText } from '../lang/disableActions';
import type { TextEdit } from './textEdits';

/**
 * The edit, or undefined where a trailing comment cannot go or would mean something else: a line
 * without code (a comment alone on a line would disable the cop to the end of the file), a line
 * ending in another comment, the end of a line inside a string or heredoc that goes on (the comment
 * would become text), a file that does not parse.
 */
export function rubocopDisableEdit(parsed: ParsedRuby, line: number, cop: string): TextEdit | undefined {
  if (parsed.failure || parsed.errors.length) return undefined;
  const text = (parsed.text.split('\n')[line] ?? '').replace(/\r$/, '');
  if (!text.trim()) return undefined;
  const at = (character: number, newText: string): TextEdit => ({ span: { start: { line, character }, end: { line, character } }, newText });
  const comment = parsed.comments.map((c) => parsed.lines.position(c.startOffset)).find((p) => p.line === line && text[p.character] === '#');
  if (comment) {
    if (!text.slice(0, comment.character).trim()) return undefined;
    const directive = /^#\s*rubocop\s*:\s*(?:disable|todo)\s+(.+?)\s*$/.exec(text.slice(comment.character));
    if (!directive) return undefined;
    const cops = directive[1].split(',').map((s) => s.trim());
    if (cops.includes(cop) || cops.includes('all')) return undefined;
    return at(text.trimEnd().length, `, ${cop}`);
  }
  if (insideMultiLineText(parsed, line + 1)) return undefined;
  return at(text.length, ` # rubocop:disable ${cop}`);
}
