import * as fs from 'node:fs';
import * as path from 'node:path';
import { DescribeTableCommand, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  DescribeStreamCommand,
  DynamoDBStreamsClient,
  GetRecordsCommand,
  GetShardIteratorCommand,
  type _Record,
} from '@aws-sdk/client-dynamodb-streams';
import type { CloudFormationTemplate } from './cloudformation-template';
import { LOCAL_ENVIRONMENT } from './cloudformation-template';
import { matchesPattern } from './event-pattern';
import type { LocalLambdaRuntime } from './lambda-runtime';
import { LOCAL_CREDENTIALS } from './local-network';

const POLL_INTERVAL_MS = 200;
/**
 * How long the stream and its shards, once described, are polled without describing them again
 * (a closed shard has them described at once). Lambda's poller, too, keeps reading a shard with
 * the iterator each GetRecords returns rather than describing the stream and asking for a new
 * iterator on every poll, which here cost DynamoDB Local four calls per mapping five times a
 * second, busy or idle.
 */
const DESCRIBE_INTERVAL_MS = 5_000;

/** A mapping's stream as last described: its ARN and its shards. */
interface DescribedStream {
  readonly streamArn: string;
  readonly shardIds: readonly string[];
  readonly describedAt: number;
}

interface Mapping {
  readonly functionArn: string;
  /** The function's logical id: Lambda reads the stream with the function's role. */
  readonly caller: string;
  /** The stream's ARN as the template names it (what the function's role is granted). */
  readonly streamArn: string;
  readonly tableName: string;
  readonly batchSize: number;
  readonly startingPosition: 'TRIM_HORIZON' | 'LATEST';
  readonly filters: readonly unknown[];
  readonly reportBatchItemFailures: boolean;
  /** Attempts at one batch before it is given up (sent to the on-failure destination in AWS). */
  readonly maximumRetryAttempts: number;
}

/**
 * The template's DynamoDB-stream event source mappings, run against DynamoDB Local: polls each
 * shard, keeps the records that pass the mapping's filter criteria, invokes the function with
 * batches of them (Lambda's event format), and moves on only past what the function accepted
 * (partial batch responses included). Positions are kept in a file, so a restart goes on from
 * where the previous run stopped.
 */
export class LocalDynamoDbStreamMappings {
  private readonly mappings: Mapping[];
  private readonly streams: DynamoDBStreamsClient;
  private readonly positions: Record<string, string>;
  private readonly attempts = new Map<string, number>();
  /** Each mapping's stream as last described (see DESCRIBE_INTERVAL_MS). */
  private readonly described = new Map<Mapping, DescribedStream>();
  /** The iterator to read each shard on from (by position key), as the last GetRecords returned it. */
  private readonly iterators = new Map<string, string>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly polling = new Set<Promise<void>>();
  private stopped = false;

  constructor(
    template: CloudFormationTemplate,
    private readonly lambda: LocalLambdaRuntime,
    private readonly dynamoDb: DynamoDBClient,
    endpoint: string,
    private readonly positionsFile?: string,
    private readonly log: (line: string) => void = () => undefined,
    /** Receives the stream calls Lambda makes with the function's role (see AwsCallJournal). */
    private readonly recordCall?: (
      caller: string,
      access: { operation: string; action: string; resource: string },
    ) => void,
  ) {
    this.streams = new DynamoDBStreamsClient({
      endpoint,
      region: LOCAL_ENVIRONMENT.region,
      credentials: LOCAL_CREDENTIALS,
    });
    this.positions =
      positionsFile && fs.existsSync(positionsFile) ? JSON.parse(fs.readFileSync(positionsFile, 'utf8')) : {};
    this.mappings = template.ofType('AWS::Lambda::EventSourceMapping').flatMap(([, resource]) => {
      const raw = resource.Properties ?? {};
      const streamSource = raw.EventSourceArn?.['Fn::GetAtt'];
      if (!streamSource || streamSource[1] !== 'StreamArn') return [];
      const props = template.resolve(raw);
      const functionId = props.FunctionName as string;
      return [
        {
          functionArn: functionId.startsWith('arn:')
            ? functionId
            : `arn:aws:lambda:${LOCAL_ENVIRONMENT.region}:${LOCAL_ENVIRONMENT.accountId}:function:${functionId}`,
          caller: String(raw.FunctionName?.Ref ?? functionId),
          streamArn: String(props.EventSourceArn),
          tableName: template.physicalName(streamSource[0]),
          batchSize: Number(props.BatchSize ?? 100),
          startingPosition: props.StartingPosition === 'LATEST' ? 'LATEST' : 'TRIM_HORIZON',
          filters: (props.FilterCriteria?.Filters ?? []).map((filter: { Pattern: string }) =>
            JSON.parse(filter.Pattern),
          ),
          reportBatchItemFailures: (props.FunctionResponseTypes ?? []).includes('ReportBatchItemFailures'),
          maximumRetryAttempts: Number(props.MaximumRetryAttempts ?? 10_000),
        },
      ];
    });
  }

  /**
   * Polls each mapping in a loop of its own, as Lambda runs each event source mapping on its
   * own: a backlog on one table's stream (a bulk load being indexed) must not hold back another
   * table's records.
   */
  start(): void {
    for (const mapping of this.mappings) {
      const tick = async () => {
        if (this.stopped) return;
        const polling = this.pollMapping(mapping).catch((error: Error) =>
          this.log(`Stream polling failed: ${error.message}`),
        );
        this.polling.add(polling);
        await polling;
        this.polling.delete(polling);
        if (this.stopped) return;
        const timer = setTimeout(() => {
          this.timers.delete(timer);
          void tick();
        }, POLL_INTERVAL_MS);
        this.timers.add(timer);
      };
      void tick();
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    await Promise.all(this.polling);
  }

  private async pollMapping(mapping: Mapping): Promise<void> {
    const stream = await this.describe(mapping);
    if (!stream) return;
    for (const shardId of stream.shardIds) {
      if (this.stopped) return;
      const positionKey = `${mapping.functionArn}|${stream.streamArn}|${shardId}`;
      try {
        await this.pollShard(mapping, stream.streamArn, shardId, positionKey);
      } catch (error) {
        // An expired iterator, a stream gone with its table: start again from the position.
        this.iterators.delete(positionKey);
        this.described.delete(mapping);
        throw error;
      }
    }
  }

  /** The mapping's stream and shards: as described last, unless that is DESCRIBE_INTERVAL_MS old. */
  private async describe(mapping: Mapping): Promise<DescribedStream | undefined> {
    const known = this.described.get(mapping);
    if (known && Date.now() - known.describedAt < DESCRIBE_INTERVAL_MS) return known;
    const table = await this.dynamoDb.send(new DescribeTableCommand({ TableName: mapping.tableName }));
    const streamArn = table.Table?.LatestStreamArn;
    if (!streamArn) return undefined;
    const stream = await this.streams.send(new DescribeStreamCommand({ StreamArn: streamArn }));
    for (const operation of ['DescribeStream', 'GetShardIterator', 'GetRecords']) {
      this.recordCall?.(mapping.caller, { operation, action: `dynamodb:${operation}`, resource: mapping.streamArn });
    }
    const described = {
      streamArn,
      shardIds: (stream.StreamDescription?.Shards ?? []).map((shard) => shard.ShardId!),
      describedAt: Date.now(),
    };
    this.described.set(mapping, described);
    return described;
  }

  /**
   * Reads the shard on from where the last poll left it (the iterator it kept), or from the
   * position past the last accepted record. The iterator is kept only when the poll read to the
   * end of what the shard holds with every batch accepted; otherwise the next poll asks for one
   * after the position again, so a retried batch is read anew.
   */
  private async pollShard(mapping: Mapping, streamArn: string, shardId: string, positionKey: string): Promise<void> {
    let iterator = this.iterators.get(positionKey);
    this.iterators.delete(positionKey);
    if (!iterator) {
      const after = this.positions[positionKey];
      iterator = (
        await this.streams.send(
          new GetShardIteratorCommand({
            StreamArn: streamArn,
            ShardId: shardId,
            ...(after
              ? { ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', SequenceNumber: after }
              : { ShardIteratorType: mapping.startingPosition }),
          }),
        )
      ).ShardIterator;
    }
    while (iterator && !this.stopped) {
      const page = await this.streams.send(new GetRecordsCommand({ ShardIterator: iterator, Limit: 1000 }));
      const records = page.Records ?? [];
      if (records.length === 0) {
        // Caught up: the next poll reads on with this page's iterator. None: the shard is
        // closed, and the stream is described again for the shards that follow it.
        if (page.NextShardIterator) this.iterators.set(positionKey, page.NextShardIterator);
        else this.described.delete(mapping);
        return;
      }
      for (let start = 0; start < records.length; start += mapping.batchSize) {
        const batch = records.slice(start, start + mapping.batchSize);
        let accepted = await this.deliver(mapping, streamArn, batch);
        if (accepted === undefined) {
          const attemptKey = `${positionKey}|${batch[0].dynamodb?.SequenceNumber}`;
          const attempts = (this.attempts.get(attemptKey) ?? 0) + 1;
          this.attempts.set(attemptKey, attempts);
          if (attempts <= mapping.maximumRetryAttempts) return; // retried on the next poll
          this.log(
            `${mapping.functionArn}: a stream batch failed ${attempts} times; giving it up (on-failure destination)`,
          );
          accepted = batch[batch.length - 1].dynamodb!.SequenceNumber!;
        }
        this.positions[positionKey] = accepted;
        this.savePositions();
        // Part of the batch failed: the next poll reads again after what was accepted.
        if (accepted !== batch[batch.length - 1].dynamodb!.SequenceNumber) return;
      }
      iterator = page.NextShardIterator;
    }
  }

  /**
   * Invokes the function with the batch's records that pass the filters. Returns the sequence
   * number to continue after, or undefined when nothing of the batch may be skipped yet.
   */
  private async deliver(mapping: Mapping, streamArn: string, batch: _Record[]): Promise<string | undefined> {
    const events = batch.map((record) => toLambdaRecord(record, streamArn));
    const selected = events.filter(
      (event) => mapping.filters.length === 0 || mapping.filters.some((pattern) => matchesPattern(pattern, event)),
    );
    const last = batch[batch.length - 1].dynamodb!.SequenceNumber!;
    if (selected.length === 0) return last;
    const outcome = await this.lambda.invoke(mapping.functionArn, { Records: selected });
    if (!outcome.ok) {
      this.log(`${mapping.functionArn} failed on a stream batch (${outcome.error.errorMessage}); retrying`);
      return undefined;
    }
    const failures = mapping.reportBatchItemFailures
      ? ((outcome.result as { batchItemFailures?: Array<{ itemIdentifier: string }> } | null)?.batchItemFailures ?? [])
      : [];
    if (failures.length === 0) return last;
    // Continue after the record just before the first failure; the failed ones come again.
    const firstFailed = events.findIndex((event) => event.dynamodb.SequenceNumber === failures[0].itemIdentifier);
    return firstFailed > 0 ? events[firstFailed - 1].dynamodb.SequenceNumber : undefined;
  }

  private savePositions(): void {
    if (!this.positionsFile) return;
    fs.mkdirSync(path.dirname(this.positionsFile), { recursive: true });
    fs.writeFileSync(this.positionsFile, JSON.stringify(this.positions));
  }
}

/** A DynamoDB Streams record in the shape Lambda hands to a function. */
function toLambdaRecord(record: _Record, streamArn: string) {
  const created = record.dynamodb?.ApproximateCreationDateTime;
  return {
    eventID: record.eventID,
    eventName: record.eventName,
    eventVersion: record.eventVersion ?? '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: LOCAL_ENVIRONMENT.region,
    dynamodb: {
      ...record.dynamodb,
      ...(record.dynamodb?.NewImage && {
        NewImage: repairEmptyMaps(record.dynamodb.NewImage as unknown as AttributeMap),
      }),
      ...(record.dynamodb?.OldImage && {
        OldImage: repairEmptyMaps(record.dynamodb.OldImage as unknown as AttributeMap),
      }),
      ApproximateCreationDateTime: created instanceof Date ? Math.floor(created.getTime() / 1000) : created,
      SequenceNumber: record.dynamodb?.SequenceNumber,
    },
    eventSourceARN: streamArn,
  };
}

type AttributeMap = Record<string, Record<string, unknown>>;

/**
 * DynamoDB Local writes an empty map attribute into its stream records as `{}` instead of
 * `{"M":{}}` (DynamoDB does not; empty lists are right). No reader can unmarshall `{}`, so
 * the images are repaired before a function sees them.
 */
export function repairEmptyMaps(image: AttributeMap): AttributeMap {
  const repair = (value: Record<string, unknown>): Record<string, unknown> => {
    if (Object.keys(value).length === 0) return { M: {} };
    if (value.M) return { M: repairEmptyMaps(value.M as AttributeMap) };
    if (value.L) return { L: (value.L as Array<Record<string, unknown>>).map(repair) };
    return value;
  };
  return Object.fromEntries(Object.entries(image).map(([name, value]) => [name, repair(value)]));
}
