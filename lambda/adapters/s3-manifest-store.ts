import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import type { ManifestStore } from '../domain/export/workflow-ports';

export class S3ManifestStore implements ManifestStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
  ) {}

  async write(key: string, manifest: unknown): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: key,
        Body: `${JSON.stringify(manifest, null, 2)}\n`,
        ContentType: 'application/json',
      }),
    );
  }
}
