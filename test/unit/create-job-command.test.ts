import { MAX_REQUEST_BODY_BYTES } from '../../lambda/contract/create-job-request';
import { parseCreateJobBody, toCreateJobCommand } from '../../lambda/domain/create-job-command';
import { DomainError, InvalidRequestError } from '../../lambda/domain/errors';

const minimal = { destination: { datasetId: '5b7c86968f7b6501e21ba9df' }, schema: { name: '_xdm.context.profile' } };

/** The problems a body is refused with, as [path, code] pairs. */
function problemsOf(body: unknown): Array<[string, string]> {
  try {
    toCreateJobCommand(body);
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => [e.path, e.code]);
    throw error;
  }
  throw new Error('expected the body to be refused');
}

/** The problems of a body, compared as a set: their order is not part of the contract. */
function expectProblems(body: unknown, expected: Array<[string, string]>): void {
  const sorted = (pairs: Array<[string, string]>) => [...pairs].sort((a, b) => a.join().localeCompare(b.join()));
  expect(sorted(problemsOf(body))).toEqual(sorted(expected));
}

describe('create job request', () => {
  it('fills in every default for a minimal request', () => {
    // WHEN only the required fields are sent
    const command = toCreateJobCommand(minimal);
    // THEN the defaults of the contract are filled in (the merge policy is resolved when the job is created)
    expect(command).toEqual({
      filter: { emptyProfiles: false },
      destination: { datasetId: '5b7c86968f7b6501e21ba9df', segmentPerBatch: false },
      schema: { name: '_xdm.context.profile' },
      evaluationInfo: { segmentation: false },
    });
  });

  it('accepts the full request of the reference documents', () => {
    const command = toCreateJobCommand({
      fields: 'identities.id, personalEmail.address',
      mergePolicy: { id: 'e5bc94de-cd14-4cdf-a2bc-88b6e8cbfac2', version: 1 },
      filter: {
        segments: [
          { segmentId: '4edc8488-2c35-4f6d-b4c6-9075c68d2df4', segmentNs: 'AAM', status: ['realized'] },
          { segmentId: '1rfe8422-334d-12f4-3sd4-12cf6g990g51', segmentNs: 'UPS' },
        ],
        segmentQualificationTime: { startTime: '2019-09-01T00:00:00Z', endTime: '2019-09-02T00:00:00Z' },
        fromIngestTimestamp: '2018-10-25T13:22:04-07:00',
        emptyProfiles: true,
      },
      additionalFields: {
        eventList: {
          fields: 'environment.browserDetails.name,environment.browserDetails.version',
          filter: { fromIngestTimestamp: '2018-10-25T13:22:04-07:00' },
        },
      },
      destination: { dataSetId: '5b020a27e7040801dedba61b', segmentPerBatch: true },
      schema: { name: '_xdm.context.profile' },
      evaluationInfo: { segmentation: false },
    });
    expect(command.fields).toBe('identities.id,personalEmail.address');
    expect(command.destination).toEqual({ datasetId: '5b020a27e7040801dedba61b', segmentPerBatch: true });
    expect(command.filter.segments?.[1].status).toEqual(['realized']);
    expect(command.filter.emptyProfiles).toBe(true);
    expect(command.additionalFields?.eventList?.filter).toEqual({ fromIngestTimestamp: '2018-10-25T13:22:04-07:00' });
  });

  it('requires destination.datasetId (or dataSetId) and schema.name', () => {
    expectProblems({ destination: {}, schema: {} }, [
      ['/schema/name', 'required'],
      ['/destination/datasetId', 'required'],
    ]);
    expectProblems({}, [
      ['/destination', 'required'],
      ['/schema', 'required'],
    ]);
  });

  it('lists every problem of a body at once: unknown fields, types, timestamps, empty segments', () => {
    const problems = problemsOf({
      ...minimal,
      bogus: true,
      fields: 42,
      filter: {
        segments: [],
        segmentQualificationTime: { startTime: 'yesterday' },
        fromIngestTimestamp: '2018-01-01',
        emptyProfiles: 'no',
      },
      destination: { datasetId: 'x', segmentPerBatch: 'true', extra: 1 },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        ['/bogus', 'unknown_field'],
        ['/fields', 'type'],
        ['/filter/segments', 'min_items'],
        ['/filter/segmentQualificationTime/startTime', 'format'],
        ['/filter/fromIngestTimestamp', 'format'],
        ['/filter/emptyProfiles', 'type'],
        ['/destination/segmentPerBatch', 'type'],
        ['/destination/extra', 'unknown_field'],
      ]),
    );
    expect(problems).toHaveLength(8);
  });

  it('lists rule violations together with schema violations', () => {
    const problems = problemsOf({
      fields: 'a,,b',
      filter: {
        segments: [{ segmentId: 's' }],
        segmentQualificationTime: { startTime: '2019-02-01T00:00:00Z', endTime: '2019-01-01T00:00:00Z' },
      },
      destination: { datasetId: 'x' },
    });
    expect(problems).toEqual([
      ['/schema', 'required'],
      ['/fields', 'field_path'],
      ['/filter/segmentQualificationTime/startTime', 'order'],
    ]);
  });

  it('refuses a qualification window without segments to apply it to', () => {
    expectProblems(
      {
        ...minimal,
        filter: {
          segmentQualificationTime: { startTime: '2019-01-01T00:00:00Z' },
        },
      },
      [['/filter/segmentQualificationTime', 'requires']],
    );
  });

  it('refuses a start after the end, in both time windows', () => {
    expect(
      problemsOf({
        ...minimal,
        filter: {
          segments: [{ segmentId: 's' }],
          segmentQualificationTime: { startTime: '2019-02-01T00:00:00Z', endTime: '2019-01-01T00:00:00+00:00' },
        },
        additionalFields: {
          eventList: {
            filter: { fromIngestTimestamp: '2020-01-01T00:00:00Z', toIngestTimestamp: '2019-01-01T00:00:00Z' },
          },
        },
      }),
    ).toEqual([
      ['/filter/segmentQualificationTime/startTime', 'order'],
      ['/additionalFields/eventList/filter/fromIngestTimestamp', 'order'],
    ]);
  });

  it('compares timestamps as instants, whatever their offsets', () => {
    expect(() =>
      toCreateJobCommand({
        ...minimal,
        filter: {
          segments: [{ segmentId: 's' }],
          segmentQualificationTime: { startTime: '2019-01-01T10:00:00+02:00', endTime: '2019-01-01T09:00:00Z' },
        },
      }),
    ).not.toThrow();
  });

  it('refuses unknown segment statuses, duplicates, and repeated segments', () => {
    expect(
      problemsOf({
        ...minimal,
        filter: {
          segments: [
            { segmentId: 's1', status: ['realized', 'realized'] },
            { segmentId: 's2', status: ['exiting'] },
            { segmentId: 's1' },
            { segmentNs: 'ups' },
          ],
        },
      }),
    ).toEqual([
      ['/filter/segments/0/status', 'unique_items'],
      ['/filter/segments/1/status/0', 'enum'],
      ['/filter/segments/3/segmentId', 'required'],
      ['/filter/segments/2', 'duplicate'],
    ]);
  });

  it('refuses eventList without its filter, and other shapes the contract does not have', () => {
    expectProblems({ ...minimal, additionalFields: { eventList: { fields: 'a' } } }, [
      ['/additionalFields/eventList/filter', 'required'],
    ]);
    expectProblems({ ...minimal, mergePolicy: { version: 0 } }, [
      ['/mergePolicy/id', 'required'],
      ['/mergePolicy/version', 'minimum'],
    ]);
  });

  it('refuses two different spellings of the dataset id and segmentPerBatch without segments', () => {
    expectProblems({ ...minimal, destination: { datasetId: 'a', dataSetId: 'b', segmentPerBatch: true } }, [
      ['/destination/dataSetId', 'conflict'],
      ['/destination/segmentPerBatch', 'requires'],
    ]);
  });

  it('GIVEN evaluationInfo.segmentation true WHEN parsed THEN it is kept (the definitions are checked when the job is created)', () => {
    const command = toCreateJobCommand({ ...minimal, evaluationInfo: { segmentation: true } });
    expect(command.evaluationInfo).toEqual({ segmentation: true });
  });

  it('refuses a missing, malformed, non-object or oversized body', () => {
    expect(() => parseCreateJobBody(undefined)).toThrow(InvalidRequestError);
    expect(() => parseCreateJobBody('{"destination":')).toThrow(/not valid JSON/);
    expect(() => parseCreateJobBody('[]')).toThrow(InvalidRequestError);
    const oversized = JSON.stringify({ ...minimal, fields: 'a'.repeat(MAX_REQUEST_BODY_BYTES) });
    try {
      parseCreateJobBody(oversized);
      throw new Error('expected a refusal');
    } catch (error) {
      expect((error as InvalidRequestError).errors).toEqual([expect.objectContaining({ path: '', code: 'too_large' })]);
    }
  });
});
