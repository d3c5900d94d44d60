import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { Transform } from 'node:stream';
import type { S3Client } from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

/** Bytes buffered per upload part: the least S3 accepts, to keep memory flat. */
const UPLOAD_PART_BYTES = 5 * 1024 * 1024;

/**
 * A file streamed to S3 as a multipart upload (lib-storage), one part in flight, with the
 * size and sha256 of the bytes as stored: what a part file's writer (gzip JSON Lines or
 * Parquet) hands its bytes to.
 */
export class S3HashedUpload {
  /** The stream the file's bytes are written (or piped) to; it counts and hashes them on their way. */
  readonly body: Transform;
  private readonly hash = createHash('sha256');
  private bytes = 0;
  private readonly upload: Upload;
  private readonly uploaded: Promise<unknown>;

  constructor(client: S3Client, bucket: string, key: string, contentType: string) {
    this.body = new Transform({
      transform: (chunk: Buffer, _encoding, callback) => {
        this.hash.update(chunk);
        this.bytes += chunk.length;
        callback(null, chunk);
      },
    });
    this.upload = new Upload({
      client,
      params: { Bucket: bucket, Key: key, Body: this.body, ContentType: contentType },
      partSize: UPLOAD_PART_BYTES,
      queueSize: 1,
      leavePartsOnError: false,
    });
    this.uploaded = this.upload.done();
    // Reported by done() or abort(); never an unhandled rejection in between.
    this.uploaded.catch(() => undefined);
  }

  /** Writes bytes, waiting while the upload is behind (backpressure) or failing with it. */
  async write(chunk: Uint8Array): Promise<void> {
    if (!this.body.write(chunk)) await this.behind(this.body);
  }

  /** Waits for `stream` to drain, or for the upload to fail. */
  async behind(stream: NodeJS.EventEmitter): Promise<void> {
    await Promise.race([once(stream, 'drain'), this.uploaded]);
  }

  /** Waits until every byte written to `body` (ended by the caller, or by what pipes to it) is stored. */
  async done(): Promise<{ bytes: number; sha256: string }> {
    await this.uploaded;
    return { bytes: this.bytes, sha256: this.hash.digest('hex') };
  }

  async abort(): Promise<void> {
    await this.upload.abort();
    this.body.destroy();
  }
}
