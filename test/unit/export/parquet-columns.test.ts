import { exportColumns, type ParquetColumn } from '../../../lambda/contract/parquet-columns';
import { XDM_PROFILE_UNION } from '../../../lambda/contract/xdm-schemas';

/** A column tree as a compact type text, as a reader would declare it: easy to compare. */
function typeOf(column: ParquetColumn): string {
  switch (column.kind) {
    case 'struct':
      return `struct<${column.fields.map((field) => `${field.name}:${typeOf(field)}`).join(',')}>`;
    case 'list':
      return `list<${typeOf(column.element)}>`;
    case 'map':
      return `map<string,${typeOf(column.value)}>`;
    default:
      return column.kind;
  }
}

function described(fields: string[], eventFields?: string[]): Record<string, string> {
  return Object.fromEntries(
    exportColumns(XDM_PROFILE_UNION, { fields, ...(eventFields && { eventFields }) }).map((column) => [
      column.name,
      typeOf(column),
    ]),
  );
}

const MEMBERSHIP = 'map<string,map<string,struct<status:string,lastQualificationTime:string>>>';

describe('Parquet columns of the XDM Individual Profile schema', () => {
  it('GIVEN no fields WHEN the columns are derived THEN every described field is a column: nested objects as structs, identities as a list of structs, segmentMembership as a map, and the undescribed-values column last', () => {
    const columns = exportColumns(XDM_PROFILE_UNION, { fields: [] });
    expect(columns.map((column) => column.name)).toEqual([
      'identities',
      'person',
      'personalEmail',
      'mobilePhone',
      'homeAddress',
      'loyalty',
      'segmentMembership',
      '_extra',
    ]);
    expect(described([])).toEqual({
      identities: 'list<struct<id:string,namespace:string>>',
      person: 'struct<name:struct<firstName:string,lastName:string>>',
      personalEmail: 'struct<address:string,status:string>',
      mobilePhone: 'struct<number:string>',
      homeAddress: 'struct<city:string,countryCode:string>',
      loyalty: 'struct<tier:string,points:int64>',
      segmentMembership: MEMBERSHIP,
      _extra: 'json',
    });
  });

  it('GIVEN fields WHEN the columns are derived THEN only the selected paths become columns, through lists and structs', () => {
    expect(described(['identities.id', 'person.name.lastName', 'loyalty'])).toEqual({
      identities: 'list<struct<id:string>>',
      person: 'struct<name:struct<lastName:string>>',
      loyalty: 'struct<tier:string,points:int64>',
      _extra: 'json',
    });
  });

  it('GIVEN a path into segmentMembership WHEN the columns are derived THEN the whole map is the column (its keys are data)', () => {
    expect(described(['segmentMembership.ups'])).toEqual({ segmentMembership: MEMBERSHIP, _extra: 'json' });
  });

  it('GIVEN paths the schema does not describe WHEN the columns are derived THEN they make no column (their values go to _extra) and a path below a scalar selects nothing', () => {
    expect(described(['nickname', 'person.title', 'loyalty.points.value'])).toEqual({ _extra: 'json' });
  });

  it('GIVEN a job with events WHEN the columns are derived THEN eventList is a list of event structs, projected by the event fields', () => {
    expect(described(['identities'], ['eventType', 'commerce.order.priceTotal'])).toEqual({
      identities: 'list<struct<id:string,namespace:string>>',
      eventList: 'list<struct<eventType:string,commerce:struct<order:struct<priceTotal:double>>>>',
      _extra: 'json',
    });
    expect(described(['identities'], [])['eventList']).toBe(
      'list<struct<_id:string,timestamp:string,eventType:string,web:struct<webPageDetails:struct<name:string>>,' +
        'environment:struct<browserDetails:struct<name:string,version:string>>,commerce:struct<order:struct<priceTotal:double>>>>',
    );
  });
});
