import { createGzip } from 'node:zlib';
import { DeleteObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { PART_FILE_ENCODINGS } from '../domain/export/manifest';
import type { ExportRecord, PartLayout, PartStore, PartWriter } from '../domain/export/ports';
import { S3HashedUpload } from './s3-hashed-upload';
import { S3ParquetPartWriter } from './s3-parquet-part-writer';

/**
 * Characters of JSON lines gathered before they go to gzip. Each write to a zlib stream costs a
 * round trip to the thread pool: written line by line, 20k profiles took 700 ms of CPU to
 * compress, in 64 KiB chunks 50 ms (measured on this project's data set).
 */
const GZIP_CHUNK_CHARS = 64 * 1024;

/**
 * Part files in S3, in the job's format: gzip JSON Lines, or Parquet
 * ({@link S3ParquetPartWriter}). Either is streamed to a multipart upload with backpressure, so
 * a writer holds a few megabytes whatever the size of the file; the checksum and size are of
 * the stored bytes.
 */
export class S3PartStore implements PartStore {
  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** zlib level: 1 is the fastest (gzip dominates an export's CPU time), 9 the smallest. */
    private readonly gzipLevel = 1,
  ) {}

  open(key: string, layout: PartLayout): PartWriter {
    return layout.format === 'parquet'
      ? new S3ParquetPartWriter(
          new S3HashedUpload(this.client, this.bucket, key, PART_FILE_ENCODINGS.parquet.contentType),
          layout.columns,
        )
      : new S3JsonLinesPartWriter(
          new S3HashedUpload(this.client, this.bucket, key, 'application/gzip'),
          this.gzipLevel,
        );
  }

  async discard(key: string): Promise<void> {
    await this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: key }));
  }
}

/** JSON lines → gzip → the upload. */
class S3JsonLinesPartWriter implements PartWriter {
  private readonly gzip: ReturnType<typeof createGzip>;
  private pending: string[] = [];
  private pendingChars = 0;

  constructor(
    private readonly upload: S3HashedUpload,
    gzipLevel: number,
  ) {
    this.gzip = createGzip({ level: gzipLevel });
    this.gzip.pipe(upload.body);
  }

  async write(record: ExportRecord): Promise<void> {
    const line = `${JSON.stringify(record)}\n`;
    this.pending.push(line);
    this.pendingChars += line.length;
    if (this.pendingChars >= GZIP_CHUNK_CHARS) await this.flush();
  }

  async finish(): Promise<{ bytes: number; sha256: string }> {
    await this.flush();
    this.gzip.end();
    return this.upload.done();
  }

  /** Hands the gathered lines to gzip, waiting while gzip or the upload are behind (backpressure). */
  private async flush(): Promise<void> {
    if (this.pending.length === 0) return;
    const chunk = this.pending.join('');
    this.pending = [];
    this.pendingChars = 0;
    if (!this.gzip.write(chunk)) await this.upload.behind(this.gzip);
  }

  async abort(): Promise<void> {
    await this.upload.abort();
    this.gzip.destroy();
  }
}
