import type { Condition } from '../../../lambda/domain/segmentation/pql-ast';
import { parsePql } from '../../../lambda/domain/segmentation/pql-parser';

function parsed(text: string): Condition {
  const result = parsePql(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return result.condition;
}

const NOW = { kind: 'now' } as const;

describe('PQL parser: the supported subset', () => {
  it.each<[string, Condition]>([
    [
      'person.name.firstName = "John"',
      {
        type: 'compare',
        path: ['person', 'name', 'firstName'],
        operator: '=',
        value: { kind: 'string', value: 'John' },
      },
    ],
    [
      'loyalty.points != 10',
      { type: 'compare', path: ['loyalty', 'points'], operator: '!=', value: { kind: 'number', value: 10 } },
    ],
    [
      'loyalty.points < -2.5',
      { type: 'compare', path: ['loyalty', 'points'], operator: '<', value: { kind: 'number', value: -2.5 } },
    ],
    ['a <= 1', { type: 'compare', path: ['a'], operator: '<=', value: { kind: 'number', value: 1 } }],
    ['a > 1', { type: 'compare', path: ['a'], operator: '>', value: { kind: 'number', value: 1 } }],
    ['a >= 1', { type: 'compare', path: ['a'], operator: '>=', value: { kind: 'number', value: 1 } }],
    ['a.b = true', { type: 'compare', path: ['a', 'b'], operator: '=', value: { kind: 'boolean', value: true } }],
    ['a != false', { type: 'compare', path: ['a'], operator: '!=', value: { kind: 'boolean', value: false } }],
    [
      'birthDate < date("2000-01-01")',
      {
        type: 'compare',
        path: ['birthDate'],
        operator: '<',
        value: { kind: 'date', value: Date.parse('2000-01-01T00:00:00Z') },
      },
    ],
    [
      'homeAddress.countryCode in ["US", "CA"]',
      {
        type: 'in',
        path: ['homeAddress', 'countryCode'],
        values: [
          { kind: 'string', value: 'US' },
          { kind: 'string', value: 'CA' },
        ],
      },
    ],
    ['exists mobilePhone.number', { type: 'exists', path: ['mobilePhone', 'number'] }],
    ['mobilePhone.number.isNotNull()', { type: 'exists', path: ['mobilePhone', 'number'] }],
    ['mobilePhone.number.isNull()', { type: 'not', operand: { type: 'exists', path: ['mobilePhone', 'number'] } }],
    [
      'person.name.startsWith("Joe")',
      { type: 'stringMatch', path: ['person', 'name'], function: 'startsWith', value: 'Joe', caseSensitive: true },
    ],
    [
      'personalEmail.address.endsWith(".COM", false)',
      {
        type: 'stringMatch',
        path: ['personalEmail', 'address'],
        function: 'endsWith',
        value: '.COM',
        caseSensitive: false,
      },
    ],
    [
      'a.contains("x\\"y")',
      { type: 'stringMatch', path: ['a'], function: 'contains', value: 'x"y', caseSensitive: true },
    ],
    [
      'a = 1 and b = 2 and c = 3 or not d = 4',
      {
        type: 'or',
        operands: [
          {
            type: 'and',
            operands: [1, 2, 3].map((n, i) => ({
              type: 'compare' as const,
              path: [['a'], ['b'], ['c']][i],
              operator: '=' as const,
              value: { kind: 'number' as const, value: n },
            })),
          },
          {
            type: 'not',
            operand: { type: 'compare', path: ['d'], operator: '=', value: { kind: 'number', value: 4 } },
          },
        ],
      },
    ],
    [
      'a = 1 and (b = 2 or c = 3)',
      {
        type: 'and',
        operands: [
          { type: 'compare', path: ['a'], operator: '=', value: { kind: 'number', value: 1 } },
          {
            type: 'or',
            operands: [
              { type: 'compare', path: ['b'], operator: '=', value: { kind: 'number', value: 2 } },
              { type: 'compare', path: ['c'], operator: '=', value: { kind: 'number', value: 3 } },
            ],
          },
        ],
      },
    ],
    [
      'xEvent.any(timestamp occurs < 8 days before now)',
      {
        type: 'eventAny',
        condition: {
          type: 'occurs',
          path: ['timestamp'],
          window: { kind: 'distance', operator: '<', amount: 8, unit: 'days', direction: 'before', reference: NOW },
        },
      },
    ],
    [
      'xEvent.count(eventType = "web.webpagedetails.pageViews") >= 3',
      {
        type: 'eventCount',
        condition: {
          type: 'compare',
          path: ['eventType'],
          operator: '=',
          value: { kind: 'string', value: 'web.webpagedetails.pageViews' },
        },
        operator: '>=',
        count: 3,
      },
    ],
    [
      'xEvent.any(timestamp occurs between date("2026-01-01") and "2026-02-01T00:00:00Z")',
      {
        type: 'eventAny',
        condition: {
          type: 'occurs',
          path: ['timestamp'],
          window: {
            kind: 'between',
            from: { kind: 'instant', value: Date.parse('2026-01-01T00:00:00Z') },
            to: { kind: 'instant', value: Date.parse('2026-02-01T00:00:00Z') },
          },
        },
      },
    ],
    [
      'xEvent.any(timestamp occurs after date("2026-01-01T10:00:00+02:00"))',
      {
        type: 'eventAny',
        condition: {
          type: 'occurs',
          path: ['timestamp'],
          window: {
            kind: 'side',
            direction: 'after',
            reference: { kind: 'instant', value: Date.parse('2026-01-01T08:00:00Z') },
          },
        },
      },
    ],
    [
      'x occurs >= 1 week after now',
      {
        type: 'occurs',
        path: ['x'],
        window: { kind: 'distance', operator: '>=', amount: 1, unit: 'weeks', direction: 'after', reference: NOW },
      },
    ],
    [
      'segmentMembership.ups.`seg-1`.status = "realized"',
      {
        type: 'compare',
        path: ['segmentMembership', 'ups', 'seg-1', 'status'],
        operator: '=',
        value: { kind: 'string', value: 'realized' },
      },
    ],
  ])('GIVEN %s WHEN it is parsed THEN it is the expected syntax tree', (text, expected) => {
    expect(parsed(text)).toEqual(expected);
  });

  it('GIVEN a condition over several lines with blanks around it WHEN it is parsed THEN blanks do not matter', () => {
    expect(parsed('\n  a = 1\n  and\tb = 2  \n')).toEqual(parsed('a = 1 and b = 2'));
  });
});

describe('PQL parser: what is outside the subset is refused at its position', () => {
  it.each<[string, string, number, number, number]>([
    // text, message contains, offset, line, column
    ['chain(xEvent, timestamp, [A: WHAT(eventType = "a")])', 'chain(…) is not supported', 0, 1, 1],
    ['city like "%es%"', '"like" is not a supported operator', 5, 1, 6],
    ['person.name.like("x")', '.like(…) is not supported', 12, 1, 13],
    ['xEvent.all(timestamp occurs before now)', 'xEvent.all(…) is not supported', 7, 1, 8],
    ['xEvent.any(xEvent.any(eventType = "a"))', 'cannot be nested', 11, 1, 12],
    ['exists E from xEvent where E.eventType = "a"', 'quantifier is not supported', 0, 1, 1],
    ['a.b = true and\n  c < false', 'booleans are compared with = and != only', 19, 2, 5],
    ['a = date("2026-13-45")', 'is not a date', 4, 1, 5],
    ['x occurs < 2 months before now', 'Expected', 13, 1, 14],
    ['a in []', 'at least one value', 5, 1, 6],
    ['a = 1 or', 'end of input', 8, 1, 9],
    ['a = "unterminated', 'Expected', 4, 1, 5],
    ['(a = 1', 'Expected', 6, 1, 7],
    ['a = 1 b = 2', 'Expected', 6, 1, 7],
    ['xEvent.count(eventType = "a") >= 1.5', 'Expected', 34, 1, 35],
    ['', 'Expected', 0, 1, 1],
  ])(
    'GIVEN %j WHEN it is parsed THEN it is refused with %j at offset %i (line %i, column %i)',
    (text, message, offset, line, column) => {
      const result = parsePql(text);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(result.error.message).toContain(message);
      expect(result.error.position).toEqual({ offset, line, column });
    },
  );
});
