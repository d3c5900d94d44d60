import { randomUUID } from 'node:crypto';
import * as http from 'node:http';
import { LOCAL_ENVIRONMENT } from './cloudformation-template';
import { eventBusNameOf, type LocalEventBus } from './event-bus';

interface PutEventsEntry {
  readonly Source?: string;
  readonly DetailType?: string;
  readonly Detail?: string;
  readonly EventBusName?: string;
  readonly Resources?: string[];
  readonly Time?: number | string;
}

/** PutEvents accepts at most 10 entries and 256 KiB in one request. */
const MAX_ENTRIES = 10;
const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * The EventBridge API of the local stack, for the functions (through AWS_ENDPOINT_URL_EVENTBRIDGE):
 * PutEvents in the AWS JSON 1.1 protocol, each entry turned into an event as EventBridge shapes
 * it and put on the local bus it names. Other actions answer 400 UnknownOperationException.
 */
export class LocalEventBridgeApi {
  private server?: http.Server;

  constructor(private readonly bus: LocalEventBus) {}

  async listen(port = 0): Promise<string> {
    this.server = http.createServer((request, response) => {
      const chunks: Buffer[] = [];
      request.on('data', (chunk: Buffer) => chunks.push(chunk));
      request.on('end', () => {
        const { status, body } = this.handle(String(request.headers['x-amz-target'] ?? ''), Buffer.concat(chunks));
        response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
        response.end(JSON.stringify(body));
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(port, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as { port: number }).port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private handle(target: string, body: Buffer): { status: number; body: unknown } {
    if (target !== 'AWSEvents.PutEvents') {
      return { status: 400, body: { __type: 'UnknownOperationException', message: `${target} is not emulated` } };
    }
    if (body.length > MAX_REQUEST_BYTES) {
      return {
        status: 400,
        body: { __type: 'ValidationException', message: 'Total size of the entries exceeds 256KB' },
      };
    }
    const entries = (JSON.parse(body.toString('utf8')) as { Entries?: PutEventsEntry[] }).Entries ?? [];
    if (entries.length === 0 || entries.length > MAX_ENTRIES) {
      return { status: 400, body: { __type: 'ValidationException', message: 'Entries must hold 1 to 10 entries' } };
    }
    return { status: 200, body: this.putEntries(entries) };
  }

  private putEntries(entries: readonly PutEventsEntry[]) {
    const results = entries.map((entry) => {
      const detail = parseDetail(entry.Detail);
      if (!entry.Source || !entry.DetailType || detail === undefined) {
        return {
          ErrorCode: 'MalformedDetail',
          ErrorMessage: 'Source, DetailType and a JSON object Detail are required',
        };
      }
      const id = randomUUID();
      this.bus.put(
        {
          version: '0',
          id,
          'detail-type': entry.DetailType,
          source: entry.Source,
          account: LOCAL_ENVIRONMENT.accountId,
          time: new Date(entry.Time === undefined ? Date.now() : Number(entry.Time) * 1000).toISOString(),
          region: LOCAL_ENVIRONMENT.region,
          resources: entry.Resources ?? [],
          detail,
        },
        eventBusNameOf(entry.EventBusName),
      );
      return { EventId: id };
    });
    return { FailedEntryCount: results.filter((result) => 'ErrorCode' in result).length, Entries: results };
  }
}

function parseDetail(detail: string | undefined): Record<string, unknown> | undefined {
  try {
    const parsed = JSON.parse(detail ?? '');
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}
