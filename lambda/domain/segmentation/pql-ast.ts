/**
 * The typed syntax tree of the PQL subset the service evaluates (see pql-grammar.ts for the
 * spelling and README "The PQL subset" for examples). The parser builds it; the evaluator
 * walks it; nothing else knows PQL's text.
 */

/** A dot path below the profile (or, inside `xEvent.any/count`, below the event). */
export type AttributePath = readonly string[];

export type ComparisonOperator = '=' | '!=' | '<' | '<=' | '>' | '>=';

export type Literal =
  | { readonly kind: 'string'; readonly value: string }
  | { readonly kind: 'number'; readonly value: number }
  | { readonly kind: 'boolean'; readonly value: boolean }
  /** `date("…")`: an instant, epoch milliseconds. */
  | { readonly kind: 'date'; readonly value: number };

export type StringFunction = 'contains' | 'startsWith' | 'endsWith';

export type TimeUnit = 'seconds' | 'minutes' | 'hours' | 'days' | 'weeks';

/** A point in time a window is measured from: the evaluation's `now`, or a fixed instant. */
export type TimeReference = { readonly kind: 'now' } | { readonly kind: 'instant'; readonly value: number };

/** The window of `<timestamp> occurs …`. */
export type TimeWindow =
  /** `occurs <op> <n> <unit> before|after <time>`: the distance from <time>, on that side of it. */
  | {
      readonly kind: 'distance';
      readonly operator: ComparisonOperator;
      readonly amount: number;
      readonly unit: TimeUnit;
      readonly direction: 'before' | 'after';
      readonly reference: TimeReference;
    }
  /** `occurs before|after <time>`: strictly on that side. */
  | { readonly kind: 'side'; readonly direction: 'before' | 'after'; readonly reference: TimeReference }
  /** `occurs between <time> and <time>`: both ends included. */
  | { readonly kind: 'between'; readonly from: TimeReference; readonly to: TimeReference };

export type Condition =
  | { readonly type: 'and'; readonly operands: readonly Condition[] }
  | { readonly type: 'or'; readonly operands: readonly Condition[] }
  | { readonly type: 'not'; readonly operand: Condition }
  | {
      readonly type: 'compare';
      readonly path: AttributePath;
      readonly operator: ComparisonOperator;
      readonly value: Literal;
    }
  | { readonly type: 'exists'; readonly path: AttributePath }
  | { readonly type: 'in'; readonly path: AttributePath; readonly values: readonly Literal[] }
  | {
      readonly type: 'stringMatch';
      readonly path: AttributePath;
      readonly function: StringFunction;
      readonly value: string;
      readonly caseSensitive: boolean;
    }
  | { readonly type: 'occurs'; readonly path: AttributePath; readonly window: TimeWindow }
  /** `xEvent.any(<condition>)`: at least one of the profile's events satisfies it. */
  | { readonly type: 'eventAny'; readonly condition: Condition }
  /** `xEvent.count(<condition>) <op> <n>`: how many of the profile's events satisfy it. */
  | {
      readonly type: 'eventCount';
      readonly condition: Condition;
      readonly operator: ComparisonOperator;
      readonly count: number;
    };

/** Where something is in the PQL text: 1-based line and column, 0-based offset. */
export interface PqlPosition {
  readonly offset: number;
  readonly line: number;
  readonly column: number;
}
