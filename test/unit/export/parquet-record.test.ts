import { exportColumns } from '../../../lambda/contract/parquet-columns';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';
import { joinParquetRow, splitParquetRow } from '../../../lambda/domain/export/parquet-record';

const ALL = exportColumns(XDM_PROFILE_UNION, { fields: [], eventFields: [] });

/** A row as a reader gives it back: every column present, null where nothing was written. */
function asRead(row: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(ALL.map((column) => [column.name, row[column.name] ?? null]));
}

describe('Parquet rows of exported records', () => {
  it('GIVEN a record the schema describes WHEN it is split THEN every value is in its column, integers as int64, maps as objects, and _extra is null', () => {
    const record = {
      identities: [{ id: 'a@example.com', namespace: 'email' }],
      loyalty: { tier: 'gold', points: 120 },
      segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: '2024-01-01T00:00:00Z' } } },
      eventList: [{ eventType: 'commerce.purchases', commerce: { order: { priceTotal: 9.5 } } }],
    };
    expect(splitParquetRow(record, ALL)).toEqual({
      identities: [{ id: 'a@example.com', namespace: 'email' }],
      loyalty: { tier: 'gold', points: 120n },
      segmentMembership: record.segmentMembership,
      eventList: record.eventList,
      _extra: null,
    });
  });

  it('GIVEN values the schema does not describe WHEN the record is split THEN _extra keeps them as JSON shaped like the record, lists aligned element by element', () => {
    const row = splitParquetRow(
      {
        identities: [
          { id: 'a', namespace: 'email' },
          { id: 'b', namespace: 'ECID', primary: true },
        ],
        loyalty: { tier: 'gold', points: 'many' },
        nickname: 'Al',
        personalEmail: null,
        homeAddress: 'Lisbon',
      },
      ALL,
    );
    expect(row.identities).toEqual([
      { id: 'a', namespace: 'email' },
      { id: 'b', namespace: 'ECID' },
    ]);
    expect(row.loyalty).toEqual({ tier: 'gold' });
    expect(row.homeAddress).toBeUndefined();
    expect(JSON.parse(row._extra as string)).toEqual({
      identities: [null, { primary: true }],
      loyalty: { points: 'many' },
      nickname: 'Al',
      personalEmail: null,
      homeAddress: 'Lisbon',
    });
  });

  it.each([
    [
      'a described record',
      { identities: [{ id: 'a', namespace: 'email' }], person: { name: { lastName: 'Lovelace' } } },
    ],
    ['an empty struct and an empty list', { identities: [], person: {} }],
    [
      'undescribed values at every depth',
      {
        identities: ['not-an-object', { id: 'x', namespace: 'n', score: 1.5 }],
        person: { name: { firstName: 3 } },
        x: [1, { y: null }],
      },
    ],
    [
      'a fractional integer, a number for a string, a null in a struct',
      { loyalty: { points: 1.5 }, mobilePhone: { number: 12 }, personalEmail: { address: 'a', status: null } },
    ],
    [
      'a map with undescribed members',
      { segmentMembership: { ups: { s1: { status: 'realized', since: 'x' }, s2: null }, aam: 'nope' } },
    ],
    ['a list with nulls', { identities: [null, { id: 'a', namespace: 'b' }] }],
  ])('GIVEN %s WHEN it is split and read back THEN it is the same record', (_name, record) => {
    expect(joinParquetRow(asRead(splitParquetRow(record, ALL)), ALL)).toEqual(record);
  });

  it('GIVEN a map as some readers give it (a list of key/value entries, bigint numbers) WHEN the row is read back THEN it is the record as JSON has it', () => {
    const row = asRead({
      loyalty: { tier: null, points: 7n },
      segmentMembership: [
        { key: 'ups', value: [{ key: 's1', value: { status: 'realized', lastQualificationTime: 't' } }] },
      ],
    });
    expect(joinParquetRow(row, ALL)).toEqual({
      loyalty: { points: 7 },
      segmentMembership: { ups: { s1: { status: 'realized', lastQualificationTime: 't' } } },
    });
  });
});
