/**
 * Generated input for property-based tests, derived from a JSON Schema (the TypeBox schemas of
 * the contract). fast-check is not a dependency of the project, so this is a small generator of
 * its own: seeded (a failure names its seed and replays), mostly valid values that reach deep
 * into the schema, each node replaced now and then by a hostile value of any type, and number
 * literals no JavaScript number can hold written into the JSON text as they are.
 */

/** A seeded pseudo-random source (mulberry32): the same seed gives the same inputs. */
export class Random {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  chance(probability: number): boolean {
    return this.next() < probability;
  }
  integer(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }
  pick<T>(values: readonly T[]): T {
    return values[this.integer(0, values.length - 1)];
  }
}

/** A number literal written into the JSON text verbatim (`1e400`, `9007199254740993`, `-0`). */
export class RawNumber {
  constructor(readonly literal: string) {}
}

/** Numbers at and past every bound a schema might have, and past what a double holds exactly. */
const NASTY_NUMBERS: ReadonlyArray<number | RawNumber> = [
  0,
  -1,
  1.5,
  0.1,
  -0.5,
  2 ** 31,
  2 ** 32,
  2 ** 53,
  2 ** 53 + 2,
  -(2 ** 53),
  Number.MAX_SAFE_INTEGER,
  Number.MAX_VALUE,
  Number.MIN_VALUE,
  1e300,
  -1e300,
  1e21,
  new RawNumber('1e400'),
  new RawNumber('-1e400'),
  new RawNumber('9007199254740993'),
  new RawNumber('123456789012345678901234567890'),
  new RawNumber('1.0'),
  new RawNumber('-0'),
  new RawNumber('1e-400'),
  new RawNumber('1E2'),
];

const NASTY_STRINGS: readonly string[] = [
  '',
  ' ',
  '\u0000',
  '\ud800',
  '\u202e\u0007',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  '%00%',
  '"',
  '\\',
  '😀'.repeat(300),
  'x'.repeat(9000),
  '1e400',
  '2018-01-01T00:00:00',
  '9999-99-99T99:99:99Z',
  '2018-02-30T00:00:00Z',
  '2018-01-01T00:00:00+99:99',
  '0000-01-01T00:00:00Z',
  'a,,b',
  ',',
  'a..b',
];

function nastyValue(random: Random, depth: number): unknown {
  switch (random.integer(0, 7)) {
    case 0:
      return random.pick(NASTY_NUMBERS);
    case 1:
      return random.pick(NASTY_STRINGS);
    case 2:
      return random.pick([null, true, false]);
    case 3:
      return depth > 3 ? [] : Array.from({ length: random.integer(0, 3) }, () => nastyValue(random, depth + 1));
    case 4:
      return depth > 3 ? {} : { [random.pick(['__proto__', 'constructor', 'x', ''])]: nastyValue(random, depth + 1) };
    case 5:
      // Deep nesting: parsers and validators that recurse must not fall over.
      return JSON.parse('['.repeat(2000) + ']'.repeat(2000));
    default:
      return random.pick(NASTY_NUMBERS);
  }
}

type Schema = Record<string, any>;

export interface GeneratorOptions {
  /** The probability that a node is replaced by a hostile value of any type. */
  readonly nastiness: number;
  /**
   * Valid strings for what a schema cannot say (a field list's grammar), by JSON pointer with
   * array indexes written `*`; undefined leaves the string to the schema.
   */
  readonly validString?: (path: string, random: Random) => string | undefined;
}

/** A value for `schema`: valid where the dice say so, hostile elsewhere. */
export function generate(schema: Schema, random: Random, options: GeneratorOptions, depth = 0, path = ''): unknown {
  if (random.chance(options.nastiness)) return nastyValue(random, depth);
  if (Array.isArray(schema.enum)) {
    return random.chance(0.9) ? random.pick(schema.enum) : random.pick([...NASTY_STRINGS, 'REALIZED']);
  }
  switch (schema.type) {
    case 'object':
      return generateObject(schema, random, options, depth, path);
    case 'array': {
      const min = schema.minItems ?? 0;
      const max = Math.min(schema.maxItems ?? 5, 5);
      const length = random.chance(0.05) ? (schema.maxItems ?? 5) + random.integer(0, 1) : random.integer(min, max);
      const items: unknown[] = [];
      for (let attempt = 0; items.length < length && attempt < length * 3; attempt++) {
        const item = generate(schema.items, random, options, depth + 1, `${path}/*`);
        if (!schema.uniqueItems || !items.some((other) => toJsonText(other) === toJsonText(item))) items.push(item);
      }
      // A repeated item tests uniqueItems and the rules on duplicates.
      if (items.length > 0 && random.chance(0.05)) items.push(items[0]);
      return items;
    }
    case 'string':
      return (random.chance(0.9) && options.validString?.(path, random)) || generateString(schema, random);
    case 'integer':
    case 'number':
      return generateNumber(schema, random);
    case 'boolean':
      return random.chance(0.5);
    default:
      return nastyValue(random, depth);
  }
}

function generateObject(schema: Schema, random: Random, options: GeneratorOptions, depth: number, path: string) {
  const required = new Set<string>(schema.required ?? []);
  // anyOf: [{required: [a]}, {required: [b]}] — usually one alternative, now and then both or none.
  const alternatives: string[][] = (schema.anyOf ?? []).map((branch: Schema) => branch.required ?? []);
  const excluded = new Set<string>(alternatives.flat());
  if (alternatives.length > 0 && random.chance(0.9)) {
    for (const name of random.pick(alternatives)) {
      required.add(name);
      excluded.delete(name);
    }
  }
  const result: Record<string, unknown> = {};
  for (const [name, property] of Object.entries<Schema>(schema.properties ?? {})) {
    const include = required.has(name) ? random.chance(0.97) : random.chance(excluded.has(name) ? 0.05 : 0.5);
    if (include) setOwn(result, name, generate(property, random, options, depth + 1, `${path}/${name}`));
  }
  if (random.chance(0.03)) setOwn(result, random.pick(['unknown', '__proto__', 'constructor', 'toString']), 1);
  return result;
}

/** An own property, even one named `__proto__` (an assignment would set the prototype). */
function setOwn(object: Record<string, unknown>, name: string, value: unknown): void {
  Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
}

function generateString(schema: Schema, random: Random): string {
  if (schema.format === 'date-time') {
    if (random.chance(0.8)) {
      const ms = random.integer(0, 4102444800000);
      const iso = new Date(ms).toISOString();
      return random.chance(0.5) ? iso : iso.replace('Z', random.pick(['+00:00', '-12:00', '+14:00']));
    }
    return random.pick(NASTY_STRINGS);
  }
  const max = schema.maxLength ?? 64;
  const min = schema.minLength ?? 0;
  const alphabet = random.pick(['abcdefghijklmnopqrstuvwxyz', 'identities.id,personalEmail.address', '\u0001"\\é😀 ']);
  const length = random.chance(0.1)
    ? random.pick([max, max + 1, min, Math.max(0, min - 1)])
    : random.integer(min, Math.min(max, 40));
  return Array.from({ length }, () => alphabet[random.integer(0, alphabet.length - 1)]).join('');
}

function generateNumber(schema: Schema, random: Random): number | RawNumber {
  const min = schema.minimum ?? -1000;
  const max = schema.maximum ?? 1000;
  if (random.chance(0.3)) return random.pick(NASTY_NUMBERS);
  return random.pick([min, min - 1, max, max + 1, random.integer(Math.max(min, -1000), Math.min(max, 1000))]);
}

/** JSON text of a generated value, with RawNumber literals as they are. */
export function toJsonText(value: unknown): string {
  if (value instanceof RawNumber) return value.literal;
  if (Array.isArray(value)) return `[${value.map(toJsonText).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    return `{${Object.entries(value)
      .map(([key, child]) => `${JSON.stringify(key)}:${toJsonText(child)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
