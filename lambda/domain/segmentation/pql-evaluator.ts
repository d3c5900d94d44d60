import type {
  AttributePath,
  ComparisonOperator,
  Condition,
  Literal,
  TimeReference,
  TimeUnit,
  TimeWindow,
} from './pql-ast';

/** What a condition is evaluated against: a merged profile, its events, and the time "now" means. */
export interface EvaluationSubject {
  readonly profile: Readonly<Record<string, unknown>>;
  readonly events: readonly Readonly<Record<string, unknown>>[];
  /** Epoch milliseconds: injected, so an export evaluates every profile at one instant. */
  readonly now: number;
}

const UNIT_MS: Readonly<Record<TimeUnit, number>> = {
  seconds: 1_000,
  minutes: 60_000,
  hours: 3_600_000,
  days: 86_400_000,
  weeks: 604_800_000,
};

/**
 * Whether `subject` satisfies `condition`. The rules (README "The PQL subset"):
 * - a path through an array (`identities.namespace`) yields every element's value, and a
 *   predicate holds when it holds for at least one of them;
 * - a predicate on a missing attribute (absent or null), or on a value of another type than
 *   its literal, is false — for `!=` too, so `not (a = "x")` is what selects profiles without `a`;
 * - strings compare by UTF-16 code units; `date("…")` literals compare with attributes holding
 *   RFC 3339 date-times (or epoch milliseconds).
 */
export function evaluate(condition: Condition, subject: EvaluationSubject): boolean {
  return holds(condition, subject.profile, subject);
}

function holds(condition: Condition, target: Readonly<Record<string, unknown>>, subject: EvaluationSubject): boolean {
  switch (condition.type) {
    case 'and':
      return condition.operands.every((operand) => holds(operand, target, subject));
    case 'or':
      return condition.operands.some((operand) => holds(operand, target, subject));
    case 'not':
      return !holds(condition.operand, target, subject);
    case 'compare':
      return valuesAt(target, condition.path).some((value) => compares(value, condition.operator, condition.value));
    case 'exists':
      return valuesAt(target, condition.path).length > 0;
    case 'in':
      return valuesAt(target, condition.path).some((value) =>
        condition.values.some((literal) => compares(value, '=', literal)),
      );
    case 'stringMatch':
      return valuesAt(target, condition.path).some(
        (value) => typeof value === 'string' && matchesString(value, condition),
      );
    case 'occurs':
      return valuesAt(target, condition.path).some((value) => occurs(instantOf(value), condition.window, subject.now));
    case 'eventAny':
      return subject.events.some((event) => holds(condition.condition, event, subject));
    case 'eventCount': {
      const count = subject.events.filter((event) => holds(condition.condition, event, subject)).length;
      return ordered(count - condition.count, condition.operator);
    }
  }
}

/** The values at `path`, arrays on the way fanned out; absent and null values are left out. */
export function valuesAt(root: unknown, path: AttributePath): unknown[] {
  let current: unknown[] = [root];
  for (const segment of path) {
    const next: unknown[] = [];
    for (const value of current) {
      for (const element of Array.isArray(value) ? value : [value]) {
        if (element !== null && typeof element === 'object' && !Array.isArray(element)) {
          const child = (element as Record<string, unknown>)[segment];
          if (child !== undefined && child !== null) next.push(child);
        }
      }
    }
    current = next;
  }
  return current.flatMap((value) => (Array.isArray(value) ? value : [value])).filter((value) => value !== null);
}

function compares(value: unknown, operator: ComparisonOperator, literal: Literal): boolean {
  switch (literal.kind) {
    case 'string':
      return typeof value === 'string' && ordered(value < literal.value ? -1 : value > literal.value ? 1 : 0, operator);
    case 'number':
      return typeof value === 'number' && ordered(value - literal.value, operator);
    case 'boolean':
      return typeof value === 'boolean' && ordered(value === literal.value ? 0 : 1, operator);
    case 'date': {
      const instant = instantOf(value);
      return instant !== undefined && ordered(instant - literal.value, operator);
    }
  }
}

/** Whether a difference (left - right) satisfies the operator. */
function ordered(difference: number, operator: ComparisonOperator): boolean {
  switch (operator) {
    case '=':
      return difference === 0;
    case '!=':
      return difference !== 0;
    case '<':
      return difference < 0;
    case '<=':
      return difference <= 0;
    case '>':
      return difference > 0;
    case '>=':
      return difference >= 0;
  }
}

function matchesString(value: string, condition: Extract<Condition, { type: 'stringMatch' }>): boolean {
  const text = condition.caseSensitive ? value : value.toLowerCase();
  const part = condition.caseSensitive ? condition.value : condition.value.toLowerCase();
  if (condition.function === 'contains') return text.includes(part);
  if (condition.function === 'startsWith') return text.startsWith(part);
  return text.endsWith(part);
}

/** An attribute as an instant: an RFC 3339 string or epoch milliseconds; anything else is none. */
function instantOf(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value !== 'string') return undefined;
  const instant = Date.parse(value);
  return Number.isNaN(instant) ? undefined : instant;
}

function occurs(instant: number | undefined, window: TimeWindow, now: number): boolean {
  if (instant === undefined) return false;
  const at = (reference: TimeReference) => (reference.kind === 'now' ? now : reference.value);
  switch (window.kind) {
    case 'side':
      return window.direction === 'before' ? instant < at(window.reference) : instant > at(window.reference);
    case 'between':
      return at(window.from) <= instant && instant <= at(window.to);
    case 'distance': {
      // How far the instant lies on the named side of the reference; the other side never qualifies.
      const distance = window.direction === 'before' ? at(window.reference) - instant : instant - at(window.reference);
      return distance >= 0 && ordered(distance - window.amount * UNIT_MS[window.unit], window.operator);
    }
  }
}
