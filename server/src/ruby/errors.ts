/** Signals the evaluator's Ruby code can raise; the interpreter catches them (they never reach its callers). */
import type { SourceLocation } from '../protocol';

/** A Ruby `raise` (or `Chef::Application.fatal!`, `Hash#fetch` of a missing key) that happens for certain. */
export class RubyRaise {
  constructor(
    readonly message: string,
    readonly loc?: SourceLocation,
    readonly exceptionClass = 'RuntimeError',
    /** Where the methods being run when it was raised were called from, outermost first. */
    readonly callSites: SourceLocation[] = [],
    /** How many undecided conditions held when it was raised (the raise happens only under them). */
    readonly conditionDepth = 0,
  ) {}
}
