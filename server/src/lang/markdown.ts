/**
 * Text a cookbook chose (resource names, property values, attribute keys, paths, unknown reasons
 * quoting source) into Markdown, safely. Hovers, completion docs and the Plan view's tooltips are
 * rendered as Markdown: unescaped, a resource named `[x](command:…)` becomes a link, `![](http://…)`
 * loads a remote image and `<img …>` is HTML. Every piece of such text goes through one of these
 * functions; only our own words are written as Markdown. Pure, shared by the server and the client.
 */

/** CommonMark line endings (a blank line would end the paragraph a span is in, and the span with it). */
const LINE_BREAK = /\r\n|\r|\n/g;

/** Every ASCII punctuation character: CommonMark lets any of them be backslash-escaped, and then it is only itself. */
const PUNCTUATION = /[!-/:-@[-`{-~]/g;

/**
 * Plain text as Markdown inline text: every ASCII punctuation character backslash-escaped (so no
 * link, image, emphasis, HTML, entity, autolink or table cell can start in it), line breaks as spaces.
 */
export function mdText(text: string): string {
  return text.replace(LINE_BREAK, ' ').replace(PUNCTUATION, '\\$&');
}

/**
 * Text as an inline code span, shown verbatim: the fence is a backtick run longer than any run in the
 * text (so the text cannot close it), padded by a space when the text starts or ends with a backtick
 * or a space (CommonMark strips one such pair), line breaks as spaces.
 */
export function mdCode(text: string): string {
  const t = text.replace(LINE_BREAK, ' ');
  if (t === '') return '` `';
  const fence = '`'.repeat(longestRun(t, '`') + 1);
  const pad = /^[` ]|[` ]$/.test(t) ? ' ' : '';
  return fence + pad + t + pad + fence;
}

/**
 * Markdown made by these functions, for a GFM table cell: tables split rows at every `|` not escaped
 * by a backslash before any inline parsing, code spans included, so each such `|` gets one.
 */
export function mdTableCell(markdown: string): string {
  return markdown.replace(/(\\*)\|/g, (m, slashes: string) => (slashes.length % 2 === 0 ? `${slashes}\\|` : m));
}

/** Text as a fenced code block: the fence is longer than any backtick run in the text, so no line of it can close the block. */
export function mdCodeBlock(text: string, language = ''): string {
  const fence = '`'.repeat(Math.max(3, longestRun(text, '`') + 1));
  // The info string is ours (`ruby`), but keep it to a word: backticks there would end the fence line.
  return `${fence}${language.replace(/[^\w+-]/g, '')}\n${text}\n${fence}`;
}

/**
 * A link that runs a command with JSON arguments (the one the client trusts: the rendered-file
 * preview). The destination is percent-encoded, parentheses included: an unbalanced `)` in a path
 * would end the link early and turn the rest into Markdown.
 */
export function mdCommandLink(label: string, command: string, args: unknown[]): string {
  const query = encodeURIComponent(JSON.stringify(args)).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `[${mdText(label)}](command:${command}?${query})`;
}

/** The length of the longest run of `ch` in `text` (0 when there is none). */
function longestRun(text: string, ch: string): number {
  let longest = 0;
  let run = 0;
  for (const c of text) {
    run = c === ch ? run + 1 : 0;
    if (run > longest) longest = run;
  }
  return longest;
}
