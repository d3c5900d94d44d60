import { GetObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { BatchFileStore } from '../domain/read-batch/ports';

/**
 * The batch files in the export bucket, as the read API needs them: manifests read, files
 * presigned. Presigning is local computation with the function's credentials: the URL grants
 * what the function's role may do (GetObject on batch files), for the time asked.
 */
export class S3BatchFileStore implements BatchFileStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** A client without tracing middleware: a trace header must not become part of a signed URL. */
    private readonly signer: S3Client = new S3Client({}),
  ) {}

  async readManifest(key: string): Promise<Buffer | undefined> {
    try {
      const response = await this.client.send(new GetObjectCommand({ Bucket: this.bucket, Key: key }));
      return Buffer.from(await response.Body!.transformToByteArray());
    } catch (error) {
      if (error instanceof NoSuchKey || (error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    }
  }

  presignedGetUrl(key: string, expiresInSeconds: number): Promise<string> {
    return getSignedUrl(this.signer, new GetObjectCommand({ Bucket: this.bucket, Key: key }), {
      expiresIn: expiresInSeconds,
    });
  }
}
