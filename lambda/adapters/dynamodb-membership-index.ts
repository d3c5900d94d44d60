import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { MembershipIndexWrite } from '../domain/membership-index/membership-changes';

/** BatchWriteItem's limit. */
const WRITES_PER_REQUEST = 25;

type WriteRequest = Record<string, unknown>;

/**
 * Applies membership index writes with BatchWriteItem (25 a request, the requests in
 * parallel: the writes of one batch hold each key once, so their order does not matter), and
 * sends what DynamoDB leaves unprocessed again, with backoff.
 */
export class DynamoDbMembershipIndex {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  async apply(writes: readonly MembershipIndexWrite[]): Promise<void> {
    const requests: WriteRequest[] = writes.map((write) =>
      write.kind === 'put'
        ? { PutRequest: { Item: { pk: write.pk, sk: write.sk, ...write.entry } } }
        : { DeleteRequest: { Key: { pk: write.pk, sk: write.sk } } },
    );
    const chunks: WriteRequest[][] = [];
    for (let start = 0; start < requests.length; start += WRITES_PER_REQUEST)
      chunks.push(requests.slice(start, start + WRITES_PER_REQUEST));
    await Promise.all(chunks.map((chunk) => this.write(chunk)));
  }

  private async write(chunk: WriteRequest[]): Promise<void> {
    let pending: Record<string, WriteRequest[]> = { [this.tableName]: chunk };
    for (let attempt = 0; (pending[this.tableName]?.length ?? 0) > 0; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 7)));
      const result = await this.client.send(new BatchWriteCommand({ RequestItems: pending as never }));
      pending = (result.UnprocessedItems ?? {}) as Record<string, WriteRequest[]>;
    }
  }
}
