import type { MergedStoredProfile, StoredEvent } from '../../../lambda/contract/profile-store';
import type { ExportJobSpec } from '../../../lambda/contract/workflow';
import { compileExportPlan, exportRecord, namespacesOf, targetsOf } from '../../../lambda/domain/export/export-plan';

const Q1 = '2024-03-01T00:00:00Z';
const Q2 = '2024-06-01T00:00:00Z';

function profile(
  overrides: Partial<MergedStoredProfile> & { memberships?: Record<string, Record<string, [string, string]>> } = {},
): MergedStoredProfile {
  const memberships = overrides.memberships ?? { ups: { seg1: ['realized', Q1] } };
  return {
    profileId: 'p1',
    hasProfileRecord: true,
    mergedUpdateTime: Date.parse('2024-07-01T00:00:00Z'),
    ...overrides,
    profile: {
      identities: [
        { id: 'a@example.com', namespace: 'email' },
        { id: 'b@example.com', namespace: 'email' },
        { id: 'ecid-1', namespace: 'ECID' },
      ],
      personalEmail: { address: 'a@example.com' },
      segmentMembership: Object.fromEntries(
        Object.entries(memberships).map(([ns, segments]) => [
          ns,
          Object.fromEntries(
            Object.entries(segments).map(([id, [status, lastQualificationTime]]) => [
              id,
              { status, lastQualificationTime },
            ]),
          ),
        ]),
      ) as MergedStoredProfile['profile']['segmentMembership'],
    },
  };
}

function job(overrides: Partial<ExportJobSpec> = {}): ExportJobSpec {
  return {
    id: 1,
    imsOrgId: 'org',
    sandboxName: 'prod',
    destination: { datasetId: 'ds', segmentPerBatch: false, batchId: 'B' },
    filter: { emptyProfiles: false },
    schema: { name: '_xdm.context.profile' },
    ...overrides,
  };
}

const batches = (plan: ReturnType<typeof compileExportPlan>, p: MergedStoredProfile) =>
  targetsOf(plan, p).map((t) => t.batchId);

describe('export plan', () => {
  it('exports every profile with a record when the filter is empty, and empty profiles only when asked', () => {
    expect(batches(compileExportPlan(job()), profile())).toEqual(['B']);
    expect(batches(compileExportPlan(job()), profile({ hasProfileRecord: false }))).toEqual([]);
    const withEmpty = compileExportPlan(job({ filter: { emptyProfiles: true } }));
    expect(batches(withEmpty, profile({ hasProfileRecord: false }))).toEqual(['B']);
  });

  it('keeps profiles updated strictly after fromIngestTimestamp', () => {
    const at = '2024-07-01T00:00:00Z';
    expect(
      batches(compileExportPlan(job({ filter: { emptyProfiles: false, fromIngestTimestamp: at } })), profile()),
    ).toEqual([]);
    const before = compileExportPlan(
      job({ filter: { emptyProfiles: false, fromIngestTimestamp: '2024-06-30T23:59:59.999Z' } }),
    );
    expect(batches(before, profile())).toEqual(['B']);
  });

  it('matches a segment by id, namespace when given, status (default realized) and qualification window', () => {
    const filter = (segments: object[], window?: object) =>
      compileExportPlan(
        job({
          filter: {
            emptyProfiles: false,
            segments: segments as never,
            ...(window && { segmentQualificationTime: window }),
          },
        }),
      );
    const p = profile({ memberships: { ups: { seg1: ['realized', Q1] }, AAM: { seg2: ['exited', Q2] } } });
    expect(batches(filter([{ segmentId: 'seg1' }]), p)).toEqual(['B']);
    expect(batches(filter([{ segmentId: 'seg1', segmentNs: 'ups' }]), p)).toEqual(['B']);
    expect(batches(filter([{ segmentId: 'seg1', segmentNs: 'AAM' }]), p)).toEqual([]);
    expect(batches(filter([{ segmentId: 'seg2' }]), p)).toEqual([]);
    expect(batches(filter([{ segmentId: 'seg2', status: ['exited'] }]), p)).toEqual(['B']);
    expect(batches(filter([{ segmentId: 'seg3' }, { segmentId: 'seg1' }]), p)).toEqual(['B']);
    expect(batches(filter([{ segmentId: 'seg1' }], { startTime: Q1, endTime: Q1 }), p)).toEqual(['B']);
    expect(batches(filter([{ segmentId: 'seg1' }], { startTime: '2024-03-01T00:00:00.001Z' }), p)).toEqual([]);
    expect(batches(filter([{ segmentId: 'seg1' }], { endTime: '2024-02-29T23:59:59Z' }), p)).toEqual([]);
  });

  it('sends a profile to the batch of each segment it matches when segmentPerBatch', () => {
    const plan = compileExportPlan(
      job({
        filter: {
          emptyProfiles: false,
          segments: [{ segmentId: 'seg1' }, { segmentId: 'seg2', status: ['exited'] }, { segmentId: 'seg3' }],
        },
        destination: {
          datasetId: 'ds',
          segmentPerBatch: true,
          batches: [
            { segmentId: 'seg1', status: ['realized'], batchId: 'B1' },
            { segmentId: 'seg2', status: ['exited'], batchId: 'B2' },
            { segmentId: 'seg3', status: ['realized'], batchId: 'B3' },
          ],
        },
      }),
    );
    const p = profile({
      memberships: { ups: { seg1: ['realized', Q1], seg2: ['exited', Q2], seg3: ['existing', Q2] } },
    });
    expect(batches(plan, p)).toEqual(['B1', 'B2']);
  });

  it('writes the projected profile with its events in the ingest window, oldest first', () => {
    const plan = compileExportPlan(
      job({
        fields: 'personalEmail.address',
        additionalFields: {
          eventList: {
            fields: 'eventType',
            filter: { fromIngestTimestamp: '2024-01-01T00:00:00Z', toIngestTimestamp: '2024-02-01T00:00:00Z' },
          },
        },
      }),
    );
    const event = (eventId: string, ingest: string, eventType: string): StoredEvent => ({
      profileId: 'p1',
      eventId,
      ingestTime: Date.parse(ingest),
      event: { _id: eventId, eventType, timestamp: ingest },
    });
    const record = exportRecord(plan, profile(), [
      event('e3', '2024-01-20T00:00:00Z', 'web.webpagedetails.pageViews'),
      event('e1', '2024-01-01T00:00:00Z', 'outside: not after the start'),
      event('e2', '2024-01-10T00:00:00Z', 'commerce.purchases'),
      event('e4', '2024-02-01T00:00:00Z', 'outside: not before the end'),
    ]);
    expect(record).toEqual({
      personalEmail: { address: 'a@example.com' },
      eventList: [{ eventType: 'commerce.purchases' }, { eventType: 'web.webpagedetails.pageViews' }],
    });
  });

  it('has no eventList unless asked, and counts each namespace once per profile', () => {
    expect(exportRecord(compileExportPlan(job({ fields: 'identities.namespace' })), profile(), [])).toEqual({
      identities: [{ namespace: 'email' }, { namespace: 'email' }, { namespace: 'ECID' }],
    });
    expect(namespacesOf(profile())).toEqual(['email', 'ECID']);
  });

  it('GIVEN the format of the job WHEN it is compiled THEN Parquet jobs get the columns of their schema, projected by fields and event fields, and jobs without a format JSON Lines', () => {
    expect(compileExportPlan(job()).layout).toEqual({ format: 'json' });
    expect(compileExportPlan(job({ destination: { ...job().destination, format: 'json' } })).layout).toEqual({
      format: 'json',
    });
    const layout = compileExportPlan(
      job({
        destination: { ...job().destination, format: 'parquet' },
        fields: 'identities.id, personalEmail',
        additionalFields: { eventList: { fields: 'eventType', filter: {} } },
      }),
    ).layout;
    expect(layout).toEqual({
      format: 'parquet',
      columns: [
        {
          name: 'identities',
          kind: 'list',
          element: { name: 'element', kind: 'struct', fields: [{ name: 'id', kind: 'string' }] },
        },
        {
          name: 'personalEmail',
          kind: 'struct',
          fields: [
            { name: 'address', kind: 'string' },
            { name: 'status', kind: 'string' },
          ],
        },
        {
          name: 'eventList',
          kind: 'list',
          element: { name: 'element', kind: 'struct', fields: [{ name: 'eventType', kind: 'string' }] },
        },
        { name: '_extra', kind: 'json' },
      ],
    });
  });

  it('GIVEN a Parquet job of a schema the service does not know WHEN it is compiled THEN it fails naming the schema', () => {
    expect(() =>
      compileExportPlan(
        job({ destination: { ...job().destination, format: 'parquet' }, schema: { name: '_x.other' } }),
      ),
    ).toThrow('"_x.other"');
  });
});

describe('generated profile store', () => {
  it('is the same with or without events (but for the memberships that segments defined over events derive from them), and the same for the same seed', async () => {
    const { generateProfiles, SOURCE_DATASETS } = await import('../../../bin/support/profile-generator');
    const withEvents = [...generateProfiles({ profiles: 50, seed: 3 })];
    const without = [...generateProfiles({ profiles: 50, seed: 3, events: false })];
    // The segmentation output (and the update time it brings) is evaluated on the stored events.
    const attributeFragments = ({ profile }: (typeof withEvents)[number]) => ({
      profileId: profile.profileId,
      hasProfileRecord: profile.hasProfileRecord,
      fragments: profile.fragments.filter((fragment) => fragment.datasetId !== SOURCE_DATASETS.segmentation.id),
    });
    expect(without.map(attributeFragments)).toEqual(withEvents.map(attributeFragments));
    expect(without.every((generated) => generated.events.length === 0)).toBe(true);
    expect(withEvents.some((generated) => generated.events.length > 0)).toBe(true);
    expect([...generateProfiles({ profiles: 50, seed: 3 })]).toEqual(withEvents);
  });
});
