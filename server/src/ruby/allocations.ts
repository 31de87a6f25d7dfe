/**
 * What one evaluation has built. Each value is bounded on its own (`core/limits.ts`), but a loop can
 * keep many medium ones (`3000.times { x << ('a' * 10**6).upcase }` is 3 GB), so the evaluation
 * also has a budget for everything it builds, in units of roughly a byte: each string, array or hash
 * a call returns or a literal builds is charged what it costs (a character 1, an array element 16, a
 * hash entry 48, a container 64 more), with the containers and strings inside it that were not
 * charged yet (`zip` builds an array of new pairs); a receiver that grows during a call (`x << y`,
 * `concat`, `[]=`) is charged its growth. Past the budget the evaluation stops with
 * `BudgetExceeded`, as for the step budget.
 *
 * A container handed out again (an element read back, a method returning its receiver) is charged
 * once: what each was charged is kept, and only growth past it is charged later. Short strings are
 * charged each time they are returned, which costs little and keeps the table small.
 */
import type { Value } from './values';
import { BudgetExceeded } from './env';

const CHARACTER = 1;
const ELEMENT = 16;
const ENTRY = 48;
const CONTAINER = 64;
/** Strings are remembered from this length on (containers always are). */
const REMEMBER_STRINGS_FROM = 64;
/** How deep a result is looked into for what it holds that was not charged (values nest deeper rarely, and are bounded). */
const LOOK_DEPTH = 32;

/** What a value's own storage costs (not its elements'): 0 for what is not a string, array or hash. */
export function allocationUnits(v: Value | undefined): number {
  switch (v?.k) {
    case 'str': return v.v.length * CHARACTER;
    case 'array': return CONTAINER + v.items.length * ELEMENT;
    case 'hash': return CONTAINER + v.map.size * ENTRY;
    default: return 0;
  }
}

/** What all the run-list entries of one evaluation may build together, in entries' budgets. */
export const ENTRY_ALLOCATION_BUDGETS = 2;

export class AllocationMeter {
  /** Units charged so far. */
  used = 0;
  /** Units charged before the current run-list entry began (see {@link startEntry}). */
  private before = 0;
  private readonly charged = new WeakMap<object, number>();

  constructor(private readonly budget: number) {}

  /** Charges a value a call returned or a literal built, with what it holds that was not charged yet. */
  charge(v: Value, depth = 0): void {
    if (v.k === 'str') return this.chargeString(v);
    if (v.k !== 'array' && v.k !== 'hash') return;
    const units = allocationUnits(v);
    const before = this.charged.get(v);
    if (before !== undefined) {
      // Seen before: what it held then was charged with it; what was added since came from charged calls.
      if (units > before) { this.charged.set(v, units); this.add(units - before); }
      return;
    }
    this.charged.set(v, units);
    this.add(units);
    if (depth >= LOOK_DEPTH) return;
    if (v.k === 'array') for (const x of v.items) this.charge(x, depth + 1);
    else for (const e of v.map.values()) { this.charge(e.key, depth + 1); this.charge(e.value, depth + 1); }
  }

  /** Charges what `v` grew by since it cost `unitsBefore` (a receiver a call changed in place). */
  grew(v: Value, unitsBefore: number): void {
    const units = allocationUnits(v);
    if (units <= unitsBefore) return;
    const known = this.charged.get(v);
    if (known !== undefined && units <= known) return;
    if (v.k !== 'str' || units >= REMEMBER_STRINGS_FROM) this.charged.set(v, units);
    this.add(units - Math.max(unitsBefore, known ?? 0));
  }

  /** Charges what a kept call built the first time (callMemo.ts). */
  chargeUnits(units: number): void {
    if (units > 0) this.add(units);
  }

  /** Charges `n` array elements built for a moment (the argument list a splat spreads into). */
  chargeElements(n: number): void {
    if (n > 0) this.add(n * ELEMENT);
  }

  private chargeString(v: Extract<Value, { k: 'str' }>): void {
    const units = allocationUnits(v);
    if (units < REMEMBER_STRINGS_FROM) return this.add(units);
    const before = this.charged.get(v) ?? 0;
    if (units <= before) return;
    this.charged.set(v, units);
    this.add(units - before);
  }

  /**
   * A run-list entry begins: it may build the budget again, so one recipe's bomb does not stop its
   * cookbook's other recipes; the whole evaluation stays within {@link ENTRY_ALLOCATION_BUDGETS} budgets.
   */
  startEntry(): void {
    this.before = this.used;
  }

  private add(units: number): void {
    this.used += units;
    if (this.used - this.before > this.budget || this.used > this.budget * ENTRY_ALLOCATION_BUDGETS) {
      throw new BudgetExceeded(`the values it built passed ${Math.round(this.budget / 1e6)} MB (counting a character as a byte, an array element as ${ELEMENT}, a hash entry as ${ENTRY})`);
    }
  }
}
