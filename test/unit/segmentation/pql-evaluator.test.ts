import { evaluate, type EvaluationSubject } from '../../../lambda/domain/segmentation/pql-evaluator';
import { parsePql } from '../../../lambda/domain/segmentation/pql-parser';

const NOW = Date.parse('2026-11-25T12:00:00Z');
const DAY = 86_400_000;
const at = (ms: number) => new Date(ms).toISOString();

const profile = {
  identities: [
    { id: 'a@example.com', namespace: 'email' },
    { id: '123', namespace: 'crm' },
  ],
  person: { name: { firstName: 'John', lastName: 'Doe' } },
  personalEmail: { address: 'John.Doe@Example.COM' },
  homeAddress: { countryCode: 'US', city: 'Boston' },
  loyalty: { tier: 'gold', points: 120 },
  optIn: true,
  nickname: null,
  birthDate: '1990-05-17T00:00:00Z',
  lastSeen: 'not a date',
};

const events = [
  { _id: 'e1', timestamp: at(NOW - 2 * DAY), eventType: 'commerce.purchases', commerce: { order: { priceTotal: 80 } } },
  { _id: 'e2', timestamp: at(NOW - 10 * DAY), eventType: 'web.webpagedetails.pageViews' },
  { _id: 'e3', timestamp: at(NOW - 20 * DAY), eventType: 'web.webpagedetails.pageViews' },
  { _id: 'e4', timestamp: at(NOW + DAY), eventType: 'web.webpagedetails.pageViews' },
];

const subject: EvaluationSubject = { profile, events, now: NOW };

function check(text: string, on: EvaluationSubject = subject): boolean {
  const result = parsePql(text);
  if (!result.ok) throw new Error(`${text}: ${result.error.message}`);
  return evaluate(result.condition, on);
}

describe('PQL evaluator over a merged profile and its events', () => {
  it.each<[string, string, boolean]>([
    // strings
    ['string equality', 'person.name.firstName = "John"', true],
    ['string equality is case-sensitive', 'person.name.firstName = "john"', false],
    ['string inequality', 'person.name.firstName != "Jane"', true],
    ['string order', 'person.name.lastName < "E"', true],
    ['string order, other side', 'person.name.lastName >= "E"', false],
    // numbers
    ['number equality', 'loyalty.points = 120', true],
    ['number order', 'loyalty.points > 100 and loyalty.points <= 120', true],
    ['number order, false', 'loyalty.points < 120', false],
    // booleans
    ['boolean equality', 'optIn = true', true],
    ['boolean inequality', 'optIn != true', false],
    // dates
    ['date before', 'birthDate < date("2000-01-01")', true],
    ['date equal, other offset', 'birthDate = date("1990-05-17T02:00:00+02:00")', true],
    ['date after', 'birthDate > date("2000-01-01")', false],
    ['date on an attribute that is not a date', 'lastSeen < date("2100-01-01")', false],
    ['date on a missing attribute', 'deathDate < date("2100-01-01")', false],
    // missing attributes
    ['= on a missing attribute', 'person.name.middleName = "X"', false],
    ['!= on a missing attribute', 'person.name.middleName != "X"', false],
    ['not = on a missing attribute', 'not person.name.middleName = "X"', true],
    ['a path below a missing object', 'workAddress.city = "Boston"', false],
    ['null is missing', 'nickname = "x" or exists nickname', false],
    ['null is missing, isNull', 'nickname.isNull()', true],
    // type mismatches
    ['number literal against a string', 'person.name.firstName = 5', false],
    ['number literal against a string, !=', 'person.name.firstName != 5', false],
    ['string literal against a number', 'loyalty.points = "120"', false],
    ['boolean literal against a string', 'loyalty.tier = true', false],
    ['string function on a number', 'loyalty.points.contains("2")', false],
    ['a path through a string', 'person.name.firstName.length = 4', false],
    // exists
    ['exists on a value', 'exists homeAddress.city', true],
    ['exists on an object', 'exists person.name', true],
    ['exists on a missing value', 'exists mobilePhone.number', false],
    ['isNotNull', 'homeAddress.city.isNotNull()', true],
    // in
    ['in, a listed value', 'homeAddress.countryCode in ["US", "CA"]', true],
    ['in, no listed value', 'homeAddress.countryCode in ["FR", "DE"]', false],
    ['in, mixed literal types', 'loyalty.points in ["120", 120]', true],
    ['in on a missing attribute', 'mobilePhone.number in ["1"]', false],
    // string functions
    ['contains', 'personalEmail.address.contains("Doe@")', true],
    ['contains, case-sensitive by default', 'personalEmail.address.contains("doe@")', false],
    ['contains, case-insensitive', 'personalEmail.address.contains("doe@", false)', true],
    ['startsWith', 'person.name.firstName.startsWith("Jo")', true],
    ['endsWith, case-insensitive', 'personalEmail.address.endsWith(".com", false)', true],
    ['endsWith, case-sensitive', 'personalEmail.address.endsWith(".com", true)', false],
    // arrays: any element
    ['a path through an array, one element matches', 'identities.namespace = "crm"', true],
    ['a path through an array, none matches', 'identities.namespace = "phone"', false],
    ['in through an array', 'identities.id in ["123"]', true],
    // logic
    ['and', 'optIn = true and loyalty.tier = "silver"', false],
    ['or', 'optIn = false or loyalty.tier = "gold"', true],
    ['not with parentheses', 'not (optIn = false or loyalty.tier = "silver")', true],
    // events: any
    [
      'an event in the window',
      'xEvent.any(eventType = "commerce.purchases" and timestamp occurs < 8 days before now)',
      true,
    ],
    [
      'no event in the window',
      'xEvent.any(eventType = "commerce.purchases" and timestamp occurs > 8 days before now)',
      false,
    ],
    [
      'window boundary: exactly 2 days before',
      'xEvent.any(_id = "e1" and timestamp occurs <= 2 days before now)',
      true,
    ],
    [
      'window boundary: strictly less than 2 days',
      'xEvent.any(_id = "e1" and timestamp occurs < 2 days before now)',
      false,
    ],
    ['window in hours', 'xEvent.any(_id = "e1" and timestamp occurs = 48 hours before now)', true],
    ['a future event is not before now', 'xEvent.any(_id = "e4" and timestamp occurs < 30 days before now)', false],
    ['a future event is after now', 'xEvent.any(_id = "e4" and timestamp occurs <= 1 day after now)', true],
    ['occurs before an absolute time', 'xEvent.any(timestamp occurs before date("2026-11-10"))', true],
    [
      'occurs after an absolute time',
      'xEvent.any(_id = "e3" and timestamp occurs after "2026-11-10T00:00:00Z")',
      false,
    ],
    [
      'occurs between absolute times, ends included',
      `xEvent.any(timestamp occurs between "${at(NOW - 10 * DAY)}" and "${at(NOW - 10 * DAY)}")`,
      true,
    ],
    [
      'occurs between, nothing inside',
      'xEvent.any(timestamp occurs between date("2025-01-01") and date("2025-12-31"))',
      false,
    ],
    ['event attribute below an object', 'xEvent.any(commerce.order.priceTotal >= 50)', true],
    ['event attribute missing', 'xEvent.any(commerce.order.priceTotal < 50)', false],
    // events: count
    ['count >=', 'xEvent.count(eventType = "web.webpagedetails.pageViews") >= 3', true],
    ['count >= too many', 'xEvent.count(eventType = "web.webpagedetails.pageViews") >= 4', false],
    [
      'count with a window',
      'xEvent.count(eventType = "web.webpagedetails.pageViews" and timestamp occurs < 15 days before now) = 1',
      true,
    ],
    ['count of nothing', 'xEvent.count(eventType = "x") = 0', true],
    // profile attribute and events together
    ['attributes and events', 'homeAddress.countryCode = "US" and xEvent.any(eventType = "commerce.purchases")', true],
  ])('GIVEN %s (%s) WHEN it is evaluated THEN it is %s', (_name, text, expected) => {
    expect(check(text)).toBe(expected);
  });

  it('GIVEN a profile without events WHEN xEvent.any and xEvent.count are evaluated THEN any is false and the count 0', () => {
    const alone = { profile, events: [], now: NOW };
    expect(check('xEvent.any(timestamp occurs before now)', alone)).toBe(false);
    expect(check('xEvent.count(timestamp occurs before now) = 0', alone)).toBe(true);
  });

  it('GIVEN the same condition WHEN "now" moves THEN the time windows move with it', () => {
    const text = 'xEvent.any(eventType = "commerce.purchases" and timestamp occurs < 8 days before now)';
    expect(check(text, { ...subject, now: NOW })).toBe(true);
    expect(check(text, { ...subject, now: NOW + 7 * DAY })).toBe(false);
  });
});
