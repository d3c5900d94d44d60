/**
 * The Peggy (PEG parser generator) grammar of the PQL subset, spelled as the reference
 * platform's Profile Query Language spells it:
 *
 *   person.name.firstName = "John" and homeAddress.countryCode in ["US", "CA"]
 *   loyalty.points >= 100 or not (personalEmail.address.endsWith("@example.com", false))
 *   exists mobilePhone.number          mobilePhone.number.isNotNull()
 *   xEvent.any(eventType = "commerce.purchases" and timestamp occurs < 8 days before now)
 *   xEvent.count(eventType = "web.webpagedetails.pageViews") >= 3
 *   xEvent.any(timestamp occurs between date("2026-01-01") and date("2026-02-01T00:00:00Z"))
 *
 * Each action builds a node of pql-ast.ts. A construct outside the subset that looks like PQL
 * (a function such as `chain(…)`, a method such as `.like(…)`, `exists X from xEvent where …`,
 * nested xEvent functions) is refused with `error()` at the position where it starts, so the
 * 400 points at the first unsupported construct rather than at whatever token came after it.
 */
export const PQL_GRAMMAR = String.raw`
{
  const eventNodes = new WeakMap();
  function eventNode(node, where) { eventNodes.set(node, where); return node; }
  function nestedEventNode(condition) {
    if (eventNodes.has(condition)) return condition;
    const children = condition.operands ?? (condition.operand ? [condition.operand] : []);
    for (const child of children) {
      const found = nestedEventNode(child);
      if (found) return found;
    }
    return undefined;
  }
  function refuseNesting(condition) {
    const nested = nestedEventNode(condition);
    if (nested) error('xEvent functions cannot be nested inside xEvent.any/count', eventNodes.get(nested));
  }
  function instant(text, where) {
    const shape = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}))?$/;
    const value = Date.parse(text);
    if (!shape.test(text) || Number.isNaN(value)) {
      error('"' + text + '" is not a date (YYYY-MM-DD or an RFC 3339 date-time)', where);
    }
    return value;
  }
}

Start = _ condition:Or _ { return condition; }

Or = head:And tail:(_ KwOr _ @And)* { return tail.length ? { type: 'or', operands: [head, ...tail] } : head; }

And = head:Not tail:(_ KwAnd _ @Not)* { return tail.length ? { type: 'and', operands: [head, ...tail] } : head; }

Not
  = KwNot _ operand:Not { return { type: 'not', operand }; }
  / Primary

Primary
  = "(" _ @Or _ ")"
  / EventFunction
  / ExistsPrefix
  / UnsupportedFunction
  / Predicate

EventFunction
  = "xEvent" _ "." _ "any" !IdentPart _ "(" _ condition:Or _ ")" {
      refuseNesting(condition);
      return eventNode({ type: 'eventAny', condition }, location());
    }
  / "xEvent" _ "." _ "count" !IdentPart _ "(" _ condition:Or _ ")" _ operator:ComparisonOperator _ count:Count {
      refuseNesting(condition);
      return eventNode({ type: 'eventCount', condition, operator, count }, location());
    }
  / "xEvent" _ "." _ name:NameAt _ "(" {
      error('xEvent.' + name.text + '(…) is not supported: use xEvent.any(…) or xEvent.count(…) <op> <n>', name.where);
    }

ExistsPrefix
  = start:KwExistsAt _ path:Path _ KwFrom {
      error('the "exists <variable> from <array> where …" quantifier is not supported: use xEvent.any(…)', start);
    }
  / KwExists _ path:Path { return { type: 'exists', path }; }

UnsupportedFunction
  = !Keyword name:NameAt _ "(" { error(name.text + '(…) is not supported', name.where); }

Predicate
  = path:Path _ "." _ call:MethodCall { return call(path); }
  / path:Path _ operator:ComparisonOperatorAt _ value:Literal {
      if (value.kind === 'boolean' && operator.text !== '=' && operator.text !== '!=') {
        error('booleans are compared with = and != only', operator.where);
      }
      return { type: 'compare', path, operator: operator.text, value };
    }
  / path:Path _ KwIn _ values:LiteralList { return { type: 'in', path, values }; }
  / path:Path _ KwOccurs _ window:TimeWindow { return { type: 'occurs', path, window }; }
  / Path _ !Keyword name:NameAt { error('"' + name.text + '" is not a supported operator', name.where); }

MethodCall
  = fn:("contains" / "startsWith" / "endsWith") !IdentPart _ "(" _ value:StringLiteral _ caseSensitive:("," _ @Boolean _)? ")" {
      return (path) => ({ type: 'stringMatch', path, function: fn, value, caseSensitive: caseSensitive ?? true });
    }
  / "isNotNull" !IdentPart _ "(" _ ")" { return (path) => ({ type: 'exists', path }); }
  / "isNull" !IdentPart _ "(" _ ")" { return (path) => ({ type: 'not', operand: { type: 'exists', path } }); }
  / name:NameAt _ "(" { error('.' + name.text + '(…) is not supported', name.where); }

LiteralList
  = "[" _ head:Literal tail:(_ "," _ @Literal)* _ "]" { return [head, ...tail]; }
  / "[" _ "]" { error('in [] needs at least one value', location()); }

TimeWindow
  = operator:ComparisonOperator _ amount:Count _ unit:TimeUnit _ direction:Direction _ reference:TimeReference {
      return { kind: 'distance', operator, amount, unit, direction, reference };
    }
  / direction:Direction _ reference:TimeReference { return { kind: 'side', direction, reference }; }
  / KwBetween _ from:TimeReference _ KwAnd _ to:TimeReference { return { kind: 'between', from, to }; }

TimeReference
  = KwNow { return { kind: 'now' }; }
  / value:DateLiteral { return { kind: 'instant', value }; }
  / text:StringLiteral { return { kind: 'instant', value: instant(text, location()) }; }

TimeUnit
  = unit:("seconds" / "second" / "minutes" / "minute" / "hours" / "hour" / "days" / "day" / "weeks" / "week") !IdentPart {
      return unit.endsWith('s') ? unit : unit + 's';
    }

Direction = @("before" / "after") !IdentPart

Path = head:Segment tail:(_ "." _ @Segment !(_ "("))* { return [head, ...tail]; }

Segment
  = !Keyword @$([A-Za-z_] IdentPart*)
  / "${'`'}" @$[^${'`'}]+ "${'`'}"

NameAt = text:$([A-Za-z_] IdentPart*) { return { text, where: location() }; }

Literal
  = value:StringLiteral { return { kind: 'string', value }; }
  / value:DateLiteral { return { kind: 'date', value }; }
  / value:Number { return { kind: 'number', value }; }
  / value:Boolean { return { kind: 'boolean', value }; }

DateLiteral = "date" _ "(" _ text:StringLiteral _ ")" { return instant(text, location()); }

StringLiteral "string"
  = text:$('"' ([^"\\\n] / "\\" .)* '"') {
      try { return JSON.parse(text); } catch { error('invalid escape in string ' + text, location()); }
    }

Number "number" = text:$("-"? [0-9]+ ("." [0-9]+)?) !IdentPart { return Number(text); }

Count "non-negative integer" = text:$[0-9]+ !IdentPart { return Number(text); }

Boolean = "true" !IdentPart { return true; } / "false" !IdentPart { return false; }

ComparisonOperator = "<=" / ">=" / "!=" / "=" / "<" / ">"

ComparisonOperatorAt = text:ComparisonOperator { return { text, where: location() }; }

Keyword = ("and" / "or" / "not" / "in" / "exists" / "occurs" / "between" / "true" / "false" / "now" / "date" / "xEvent") !IdentPart

KwAnd = "and" !IdentPart
KwOr = "or" !IdentPart
KwNot = "not" !IdentPart
KwIn = "in" !IdentPart
KwExists = "exists" !IdentPart
KwExistsAt = KwExists { return location(); }
KwFrom = "from" !IdentPart
KwOccurs = "occurs" !IdentPart
KwBetween = "between" !IdentPart
KwNow = "now" !IdentPart

IdentPart = [A-Za-z0-9_]

_ "whitespace" = [ \t\r\n]*
`;
