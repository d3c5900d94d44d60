import * as fs from 'node:fs';
import { CreateBucketCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { CloudFormationTemplate } from './cloudformation-template';
import { LOCAL_CREDENTIALS } from './local-network';

// s3rver ships no type declarations.
const S3rver = require('s3rver') as new (options: Record<string, unknown>) => {
  run(): Promise<{ port: number }>;
  close(): Promise<void>;
  readonly store: FilesystemStore;
};

/** The part of s3rver's FilesystemStore (objects as files in folders) that is patched below. */
interface FilesystemStore {
  deleteObject(bucket: string, key: string): Promise<void>;
  getResourcePath(bucket: string, key: string, resourceType: string): string;
}

/**
 * s3rver removes a key's folders once they are empty after a delete. Racing a write to the same
 * folder (a worker completing a part while the folder is being emptied) that crashes the
 * emulator (ENOENT on the write) or fails the delete (ENOTEMPTY), where S3, which has no
 * folders, does neither: deletes here remove the object's files only. An empty folder lists
 * nothing, so listings are unchanged.
 */
function keepFoldersOnDelete(store: FilesystemStore): void {
  store.deleteObject = async (bucket, key) => {
    await Promise.all(
      ['object', 'object.md5', 'metadata.json'].map((resourceType) =>
        fs.promises.unlink(store.getResourcePath(bucket, key, resourceType)).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        }),
      ),
    );
  };
}

// s3rver's one account, whose access keys it accepts.
const S3RVER_ACCOUNT = require('s3rver/lib/models/account') as {
  DUMMY_ACCOUNT: { createKeyPair(accessKeyId: string, secretAccessKey: string): void };
};

/**
 * s3rver, an S3 emulator that keeps objects as files. Two traps measured here are handled by
 * the runner: paginated listings need Node's legacy OpenSSL provider, and clients must send
 * checksums only when required (AWS_REQUEST_CHECKSUM_CALCULATION=WHEN_REQUIRED), or streamed
 * uploads are stored with their chunk framing.
 */
export class S3Emulator {
  private constructor(
    private readonly server: { close(): Promise<void> },
    readonly endpoint: string,
  ) {}

  static async start(directory: string): Promise<S3Emulator> {
    fs.mkdirSync(directory, { recursive: true });
    const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory });
    keepFoldersOnDelete(server.store);
    const { port } = await server.run();
    return new S3Emulator(server, `http://127.0.0.1:${port}`);
  }

  client(): S3Client {
    return new S3Client({
      endpoint: this.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      forcePathStyle: true,
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  }

  /** Creates every AWS::S3::Bucket of the template that does not exist yet. */
  async createBuckets(template: CloudFormationTemplate): Promise<string[]> {
    const client = this.client();
    const created: string[] = [];
    for (const [logicalId] of template.ofType('AWS::S3::Bucket')) {
      const bucket = template.physicalName(logicalId);
      const exists = await client.send(new HeadBucketCommand({ Bucket: bucket })).then(
        () => true,
        () => false,
      );
      if (!exists) {
        await client.send(new CreateBucketCommand({ Bucket: bucket }));
        created.push(bucket);
      }
    }
    return created;
  }

  /**
   * Lets requests signed with these access key ids in (with LOCAL_CREDENTIALS' secret), so that
   * each local function can sign with a key id of its own: s3rver checks signatures against
   * its registry of keys.
   */
  allowAccessKeys(accessKeyIds: readonly string[]): void {
    for (const accessKeyId of accessKeyIds) {
      S3RVER_ACCOUNT.DUMMY_ACCOUNT.createKeyPair(accessKeyId, LOCAL_CREDENTIALS.secretAccessKey);
    }
  }

  stop(): Promise<void> {
    return this.server.close();
  }
}
