/**
 * Whether an edit of a Ruby file changed only the words of one comment, so that nothing Cloche
 * computes from the file can change: the syntax tree is the same, every node keeps its line and
 * column, and no comment Cloche reads changed. The language server then keeps the file's analysis
 * instead of compiling its cookbook again on every keystroke of a comment.
 *
 * It answers no (compile again) when the edit:
 * - reaches outside one comment, or adds or removes a line (every later line would move);
 * - is in a comment Cloche or Ruby reads: a `cloche:` directive, or a magic comment (`encoding`,
 *   `frozen_string_literal`, … or any comment on the first two lines);
 * - is in source text Cloche may show as written: a block or lambda that can become a value (a
 *   guard's, `lazy`'s, a proc's source appears in the graph and hovers), or the condition of an
 *   `if`, `unless`, `case`, `while` or `until` (quoted when it is not known).
 */
import type { ParsedRuby } from './prism';

type Node = { constructor: { name: string }; location: { startOffset: number; length: number }; compactChildNodes(): Node[] };

const NEWLINE = 0x0a;
/** Calls whose block is kept as a value whose source may be shown. */
const BLOCK_KEPT = new Set(['only_if', 'not_if', 'lazy', 'proc', 'lambda', 'new', 'define_method', 'instance_exec', 'instance_eval', 'class_exec', 'class_eval', 'verify', 'block']);
const CONDITIONS = new Set(['IfNode', 'UnlessNode', 'CaseNode', 'CaseMatchNode', 'WhileNode', 'UntilNode']);
const MAGIC = /^#\s*(-\*-|(en)?coding\s*[:=]|frozen_string_literal\s*:|warn_indent\s*:|warn_past_scope\s*:|shareable_constant_value\s*:)/i;

/** Whether `after` differs from `before` only inside one comment no evaluation reads (see the module comment). */
export function onlyCommentChanged(before: ParsedRuby, after: ParsedRuby): boolean {
  if (before.failure || after.failure) return false;
  const a = before.bytes;
  const b = after.bytes;
  let start = 0;
  const shorter = Math.min(a.length, b.length);
  while (start < shorter && a[start] === b[start]) start++;
  if (start === a.length && start === b.length) return true;
  let tail = 0;
  while (tail < shorter - start && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const endA = a.length - tail;
  const endB = b.length - tail;
  for (let i = start; i < endA; i++) if (a[i] === NEWLINE) return false;
  for (let i = start; i < endB; i++) if (b[i] === NEWLINE) return false;
  const commentA = commentAround(before, start, endA);
  const commentB = commentAround(after, start, endB);
  if (!commentA || !commentB || commentA.startOffset !== commentB.startOffset || before.comments.length !== after.comments.length) return false;
  if (before.lines.position(commentA.startOffset).line < 2) return false;
  for (const [parsed, c] of [[before, commentA], [after, commentB]] as const) {
    const text = new TextDecoder().decode(parsed.bytes.subarray(c.startOffset, c.startOffset + c.length));
    if (/cloche/i.test(text) || MAGIC.test(text)) return false;
  }
  return !inShownSource(before.tree as unknown as Node, commentA.startOffset);
}

/** The comment holding the bytes from `start` to `end` (an insertion at its end included), never one starting there. */
function commentAround(parsed: ParsedRuby, start: number, end: number): { startOffset: number; length: number } | undefined {
  return parsed.comments.find((c) => c.startOffset < start && end <= c.startOffset + c.length);
}

/** Whether the offset lies in source text that may be shown as written (see the module comment). */
function inShownSource(root: Node, offset: number): boolean {
  let node: Node | undefined = root;
  let call: string | undefined;
  while (node) {
    const kind = node.constructor.name;
    if (kind === 'LambdaNode') return true;
    if (kind === 'BlockNode' && (call === undefined || BLOCK_KEPT.has(call))) return true;
    if (CONDITIONS.has(kind)) {
      const predicate = (node as unknown as { predicate?: Node }).predicate;
      if (predicate && contains(predicate, offset)) return true;
    }
    call = kind === 'CallNode' ? (node as unknown as { name: string }).name : undefined;
    node = node.compactChildNodes().find((c) => contains(c, offset));
  }
  return false;
}

function contains(node: Node, offset: number): boolean {
  return node.location.startOffset <= offset && offset < node.location.startOffset + node.location.length;
}
