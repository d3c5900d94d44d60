import { DeleteObjectsCommand, paginateListObjectsV2, type S3Client } from '@aws-sdk/client-s3';
import type { BatchFolders } from '../domain/export/discard-partial-output';

/** Batch folders in the export bucket: listed page by page (1,000 keys), deleted a page at a time. */
export class S3BatchFolders implements BatchFolders {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async deleteAll(prefix: string): Promise<number> {
    let deleted = 0;
    for await (const page of paginateListObjectsV2({ client: this.client }, { Bucket: this.bucket, Prefix: prefix })) {
      const keys = (page.Contents ?? []).map((object) => ({ Key: object.Key! }));
      if (keys.length === 0) continue;
      const result = await this.client.send(
        new DeleteObjectsCommand({ Bucket: this.bucket, Delete: { Objects: keys, Quiet: true } }),
      );
      // Quiet mode lists only the keys that could not be deleted: a retry of the record deletes them.
      if (result.Errors?.length) {
        const first = result.Errors[0];
        throw new Error(`${result.Errors.length} objects under ${prefix} not deleted, e.g. ${first.Key}: ${first.Code}`);
      }
      deleted += keys.length;
    }
    return deleted;
  }
}
