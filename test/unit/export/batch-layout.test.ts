import { batchPrefix, encodePathSegment, partFileName } from '../../../lambda/contract/batch-layout';

describe('batch layout', () => {
  it('puts a batch under its tenant: <org>/<sandbox>/datasets/<datasetId>/batches/<batchId>/', () => {
    expect(
      batchPrefix(
        { orgId: '1BD6382559DF0C130A49422D@AdobeOrg', sandboxName: 'prod' },
        '5b7c86968f7b6501e21ba9df',
        'da5cfb4d',
      ),
    ).toBe('1BD6382559DF0C130A49422D%40AdobeOrg/prod/datasets/5b7c86968f7b6501e21ba9df/batches/da5cfb4d/');
  });

  it.each(['..', '.', '../x', 'a/b', '../../other-org/prod', '%2E%2E'])(
    'keeps the id %j inside its own folder',
    (id) => {
      const encoded = encodePathSegment(id);
      expect(encoded).not.toContain('/');
      expect(encoded).not.toMatch(/^\.+$/);
      expect(encoded.split('/')).toHaveLength(1);
      const prefix = batchPrefix({ orgId: 'org', sandboxName: 'prod' }, id, id);
      expect(prefix.split('/')).toHaveLength(7);
      expect(prefix.startsWith('org/prod/datasets/')).toBe(true);
    },
  );

  it('names parts by shard and sequence so a retry overwrites its own file, with the extension of their format', () => {
    expect(partFileName(3, 12, 'json')).toBe('part-0003-000012.json.gz');
    expect(partFileName(3, 12, 'parquet')).toBe('part-0003-000012.parquet');
  });
});
