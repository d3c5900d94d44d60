import { resolveConnection, UsageError } from '../../cli/settings';
import { createJobRequest } from '../../cli/job-request';

describe('CLI settings', () => {
  const environment = {
    EXPORT_JOBS_URL: 'http://127.0.0.1:3000/local/',
    EXPORT_JOBS_TOKEN: 'env-token',
    EXPORT_JOBS_API_KEY: 'env-key',
    EXPORT_JOBS_ORG: 'env-org@AdobeOrg',
  };

  it('GIVEN the environment only WHEN resolved THEN it is used, the sandbox defaults to prod and the URL loses its trailing slash', () => {
    expect(resolveConnection({}, environment)).toEqual({
      url: 'http://127.0.0.1:3000/local',
      token: 'env-token',
      apiKey: 'env-key',
      org: 'env-org@AdobeOrg',
      sandbox: 'prod',
    });
  });

  it('GIVEN flags and environment WHEN resolved THEN each flag wins over its variable', () => {
    expect(resolveConnection({ token: 'flag-token', org: 'flag-org', sandbox: 'dev' }, environment)).toEqual(
      expect.objectContaining({ token: 'flag-token', apiKey: 'env-key', org: 'flag-org', sandbox: 'dev' }),
    );
  });

  it('GIVEN nothing WHEN resolved THEN a usage error names every missing setting with its flag and variable', () => {
    expect(() => resolveConnection({}, {})).toThrow(
      new UsageError(
        'Missing settings: --url (or EXPORT_JOBS_URL), --token (or EXPORT_JOBS_TOKEN), --api-key (or EXPORT_JOBS_API_KEY), --org (or EXPORT_JOBS_ORG).',
      ),
    );
  });

  it('GIVEN create flags WHEN assembled THEN they make the request body, segments split into id and namespace', () => {
    expect(
      createJobRequest({ dataset: 'd1', fields: 'identities', segment: ['s1:ups', 's2'], emptyProfiles: true }),
    ).toEqual({
      destination: { datasetId: 'd1' },
      schema: { name: '_xdm.context.profile' },
      fields: 'identities',
      filter: { segments: [{ segmentId: 's1', segmentNs: 'ups' }, { segmentId: 's2' }], emptyProfiles: true },
    });
  });

  it('GIVEN no dataset WHEN assembled THEN it is a usage error before any request', () => {
    expect(() => createJobRequest({})).toThrow(UsageError);
  });
});
