/**
 * Ruby's last match (`$~`, `$1`, `Regexp.last_match`): set by `=~` and `match`, read in the same
 * method. Kept on the method being run (its frame), or on the evaluation at the top level.
 */
import { type Value, type CallContext, NIL } from '../values';

interface MatchHolder { lastMatch?: Value }

function holder(ctx: CallContext): MatchHolder | undefined {
  const c = ctx as { env?: { frame?: MatchHolder }; interp?: MatchHolder };
  return c.env?.frame ?? c.interp;
}

export function recordMatch(ctx: CallContext, match: Value): void {
  const h = holder(ctx);
  if (h) h.lastMatch = match;
}

/** The last MatchData (or nil). */
export function lastMatch(ctx: CallContext): Value {
  return holder(ctx)?.lastMatch ?? NIL;
}
