import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRestApi } from './api-gateway/rest-api-definition';
import { LocalRestApi, type ControlRequest } from './api-gateway/local-rest-api';
import { CloudFormationTemplate, LOCAL_ENVIRONMENT } from './cloudformation-template';
import { DynamoDbEmulator } from './dynamodb-emulator';
import { LocalDynamoDbStreamMappings } from './dynamodb-stream-mappings';
import { LocalEventBus } from './event-bus';
import { LocalEventBridgeApi } from './eventbridge-api';
import { LocalLambdaRuntime, runtimeProvidedModules, type InjectedFault, type LogSink } from './lambda-runtime';
import { LOCAL_CREDENTIALS, freePort } from './local-network';
import { S3Emulator } from './s3-emulator';
import { LocalStepFunctions } from './step-functions/local-step-functions';
import { DevIssuer, type DevIssuerIdentity } from './dev-issuer';
import { devIssuerDirectory as devIssuerDirectoryOf, localStackFile } from './data-directory';
import { apiKeyGuard, authorizerGuard } from './api-gateway/guards';
import {
  AwsCallJournal,
  dynamoDbAccess,
  eventBridgeAccess,
  s3Access,
  startRecordingProxy,
  stepFunctionsAccess,
} from './aws-call-journal';
import type { RestApiDefinition } from './api-gateway/rest-api-definition';
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { HttpResponse } from './api-gateway/gateway-responses';
import { runtimeNotice } from './node-runtime';

/** One stack of a synthesized cloud assembly: its template; the assets are in the template's folder. */
export interface CloudAssemblyStack {
  readonly templateFile: string;
  readonly stackName: string;
}

/** What the runtime has up before it reads the template, for a hook that synthesizes it. */
export interface LocalRuntimeContext {
  /** The JWKS URI of the development token issuer, for the template's JWT authorizer. */
  readonly devIssuerJwksUri: string;
  /** A folder of the data folder for the cloud assembly (`<dataDirectory>/cdk.out`). */
  readonly assemblyDirectory: string;
}

export interface LocalStackOptions<Resource extends string = string> {
  /**
   * The stack to run: a synthesized template (with asset metadata, so each function names the
   * folder of its bundle), or a hook that synthesizes it once the runtime's own endpoints are
   * known (the JWKS URI of the development issuer).
   */
  readonly assembly:
    CloudAssemblyStack | ((context: LocalRuntimeContext) => CloudAssemblyStack | Promise<CloudAssemblyStack>);
  /** The `iss` and `aud` of the development issuer's tokens. */
  readonly devIssuer: DevIssuerIdentity;
  /**
   * Resources to name in the description, each by the environment variable through which the
   * template tells its functions (so resources the app brings rather than creates are found
   * too), e.g. `{ jobTable: 'JOB_TABLE_NAME' }`. @default - none
   */
  readonly resources?: Readonly<Record<Resource, string>>;
  /** Port of the API. @default 3000 (0 picks a free one) */
  readonly port?: number;
  /** Folder for the emulators' data, logs and the cloud assembly. @default '.local' */
  readonly dataDirectory?: string;
  /** Delete the data of earlier runs first. @default false */
  readonly reset?: boolean;
  /** Keep DynamoDB data in memory only (tests, benchmarks). @default false */
  readonly inMemory?: boolean;
  /** Where function logs go. @default - appended to <dataDirectory>/logs/functions.log */
  readonly functionLogs?: LogSink;
  /** How long the API waits for a function before answering 504. @default 29000 (API Gateway's limit) */
  readonly integrationTimeoutMs?: number;
  /**
   * Concurrency of a function without `ReservedConcurrentExecutions` (the account's unreserved
   * concurrency, applied per function). @default 16
   */
  readonly unreservedConcurrency?: number;
  /**
   * Serve the API as a custom domain's base path mapping would (`''`: at the root, `/api`: under
   * /api) instead of under `/<stage>`. @default - under `/<stage>`, as the execute-api URL
   */
  readonly customDomainBasePath?: string;
  /**
   * The token the control paths (`/__local/*`) require as `Authorization: Bearer <token>`.
   * @default - a random one per start, in the description (`adminToken`)
   */
  readonly adminToken?: string;
  /**
   * Record every AWS call of the functions and state machines (caller, operation, IAM action,
   * resource ARN), for a test that checks them against the roles in the template: each function
   * signs with an access key id of its own (its logical id) and reaches the emulators through a
   * recording proxy. Listed by `GET /__local/calls` and `awsCalls`. @default false
   */
  readonly recordAwsCalls?: boolean;
}

/** Where the local stack's resources are: written to <dataDirectory>/local-stack.json for tools. */
export interface LocalStackDescription<Resource extends string = string> {
  /** The API's base URL: `<root>/<stage>` (or the custom domain's base path), as a client calls it. */
  readonly url: string;
  /** The local stack's own control paths (faults, events): `<root>/__local`. */
  readonly controlUrl: string;
  /** Required by the control paths as `Authorization: Bearer <adminToken>`. */
  readonly adminToken: string;
  readonly dynamoDbEndpoint: string;
  readonly s3Endpoint: string;
  readonly stepFunctionsEndpoint: string;
  /** The names (or ARNs) of the resources asked for in LocalStackOptions.resources. */
  readonly resources: Readonly<Record<Resource, string>>;
  /** Where the development issuer keeps its key pair (tokens are minted with it). */
  readonly devIssuerDirectory: string;
  /** The API keys, by logical id, with their values. */
  readonly apiKeys: Readonly<Record<string, string>>;
}

export interface RunningLocalStack<Resource extends string = string> extends LocalStackDescription<Resource> {
  readonly devIssuer: DevIssuer;
  readonly template: CloudFormationTemplate;
  readonly lambda: LocalLambdaRuntime;
  readonly stepFunctions: LocalStepFunctions;
  /** The AWS calls made so far, when `recordAwsCalls` is set. */
  readonly awsCalls?: AwsCallJournal;
  stop(): Promise<void>;
}

/**
 * A synthesized stack on this machine: DynamoDB Local and s3rver with the template's tables and
 * buckets, the bundled functions in worker threads, its state machines, stream mappings and
 * event rules, and its REST API. Nothing here lists a route, table or function: all of it is
 * read from the template.
 */
export async function startLocalStack<Resource extends string = string>(
  options: LocalStackOptions<Resource>,
): Promise<RunningLocalStack<Resource>> {
  const dataDirectory = path.resolve(options.dataDirectory ?? '.local');
  if (options.reset) {
    for (const folder of ['dynamodb', 's3'])
      fs.rmSync(path.join(dataDirectory, folder), { recursive: true, force: true });
  }
  const logDirectory = path.join(dataDirectory, 'logs');
  fs.mkdirSync(logDirectory, { recursive: true });

  const stoppers: Array<() => Promise<void>> = [];
  const stop = async () => {
    for (const stopOne of stoppers.reverse()) await stopOne().catch(() => undefined);
  };
  try {
    const devIssuerDirectory = devIssuerDirectoryOf(dataDirectory);
    const devIssuer = await DevIssuer.load(devIssuerDirectory, options.devIssuer);
    const devIssuerJwksUri = await devIssuer.listen();
    stoppers.push(() => devIssuer.close());

    const launchDynamoDb = async () => {
      const launched = await DynamoDbEmulator.launch(
        options.inMemory ? undefined : path.join(dataDirectory, 'dynamodb'),
      );
      stoppers.push(() => launched.stop());
      return launched;
    };
    // With a synthesis hook, DynamoDB Local's JVM starts while the template is synthesized
    // (seconds each, and the JVM is a process of its own): a start waits for the longer of the
    // two, not for both.
    let launched = typeof options.assembly === 'function' ? await launchDynamoDb() : undefined;
    const { templateFile, stackName } =
      typeof options.assembly === 'function'
        ? await options.assembly({ devIssuerJwksUri, assemblyDirectory: path.join(dataDirectory, 'cdk.out') })
        : options.assembly;
    const template = CloudFormationTemplate.load(templateFile, stackName);
    // A resource the template does not name is the caller's mistake: said before any emulator
    // starts when the template is given, before any table is created when it is synthesized.
    const resources = resourceNames(template, options.resources);

    launched ??= await launchDynamoDb();
    const dynamoDb = await launched.ready;
    const s3 = await S3Emulator.start(path.join(dataDirectory, 's3'));
    stoppers.push(() => s3.stop());
    await dynamoDb.createTables(template);
    await s3.createBuckets(template);

    const functionLog = fs.createWriteStream(path.join(logDirectory, 'functions.log'), { flags: 'a' });
    const accessLog = fs.createWriteStream(path.join(logDirectory, 'access.log'), { flags: 'a' });
    stoppers.push(async () => {
      functionLog.end();
      accessLog.end();
    });
    const stackLog = fs.createWriteStream(path.join(logDirectory, 'local-stack.log'), { flags: 'a' });
    const log = (line: string) => stackLog.write(`${new Date().toISOString()} ${line}\n`);
    stoppers.push(async () => {
      stackLog.end();
    });
    const stepFunctionsEndpoint = `http://127.0.0.1:${await freePort()}`;
    const eventBridgePort = await freePort();
    const endpoints = {
      dynamoDb: dynamoDb.endpoint,
      s3: s3.endpoint,
      stepFunctions: stepFunctionsEndpoint,
      eventBridge: `http://127.0.0.1:${eventBridgePort}`,
    };
    const awsCalls = options.recordAwsCalls ? new AwsCallJournal() : undefined;
    const serviceEnvironment = lambdaServiceEnvironment(
      awsCalls ? await recordingEndpoints(endpoints, awsCalls, stoppers) : endpoints,
    );
    const functionIds = template.ofType('AWS::Lambda::Function').map(([logicalId]) => logicalId);
    if (awsCalls) s3.allowAccessKeys(functionIds);
    const lambda = LocalLambdaRuntime.fromTemplate(
      template,
      // Recording: each function signs with a key id of its own, which names it as the caller.
      awsCalls ? (logicalId) => ({ ...serviceEnvironment, AWS_ACCESS_KEY_ID: logicalId }) : serviceEnvironment,
      options.functionLogs ?? ((name, line) => functionLog.write(`${name} ${line}\n`)),
      options.unreservedConcurrency,
    );
    stoppers.push(() => lambda.stop());
    const notice = runtimeNotice(
      template
        .ofType('AWS::Lambda::Function')
        .map(([, resource]) => template.resolve(resource.Properties ?? {}).Runtime),
    );
    if (notice) log(notice);

    const eventBus = new LocalEventBus(template, lambda, log);
    stoppers.push(() => eventBus.drain());
    const eventBridge = new LocalEventBridgeApi(eventBus);
    await eventBridge.listen(eventBridgePort);
    stoppers.push(() => eventBridge.close());
    const stepFunctions = new LocalStepFunctions({
      template,
      lambda,
      dynamoDb: dynamoDb.client(),
      stateFile: options.inMemory ? undefined : path.join(dataDirectory, 'stepfunctions', 'executions.json'),
      onStatusChange: (event) => eventBus.put(event),
      log,
      recordCall: awsCalls && ((stateMachine, access) => awsCalls.record(stateMachine, access)),
    });
    await stepFunctions.listen(Number(new URL(stepFunctionsEndpoint).port));
    stoppers.push(() => stepFunctions.close());

    const streams = new LocalDynamoDbStreamMappings(
      template,
      lambda,
      dynamoDb.client(),
      dynamoDb.endpoint,
      options.inMemory ? undefined : path.join(dataDirectory, 'dynamodb', 'stream-positions.json'),
      log,
      awsCalls && ((caller, access) => awsCalls.record(caller, access)),
    );
    streams.start();
    stoppers.push(() => streams.stop());

    const restApi = readRestApi(template);
    const apiKeys = apiKeyValues(restApi, path.join(dataDirectory, 'api-keys.json'));
    const adminToken = options.adminToken ?? randomBytes(24).toString('base64url');
    const api = new LocalRestApi(restApi, lambda, {
      accessLog: (line) => accessLog.write(`${line}\n`),
      control: requireAdminToken(adminToken, controlPaths(lambda, eventBus, awsCalls)),
      guards: [authorizerGuard(restApi, lambda), apiKeyGuard(restApi, apiKeys)],
      integrationTimeoutMs: options.integrationTimeoutMs,
      customDomainBasePath: options.customDomainBasePath,
    });
    const root = await api.listen(options.port ?? 3000);
    stoppers.push(() => api.close());

    const description: LocalStackDescription<Resource> = {
      url: `${root}${api.basePath}`,
      controlUrl: `${root}/__local`,
      adminToken,
      dynamoDbEndpoint: dynamoDb.endpoint,
      s3Endpoint: s3.endpoint,
      stepFunctionsEndpoint,
      resources,
      devIssuerDirectory,
      apiKeys,
    };
    // Readable by this user only: it holds the admin token.
    fs.writeFileSync(localStackFile(dataDirectory), JSON.stringify(description, null, 2), { mode: 0o600 });
    fs.chmodSync(localStackFile(dataDirectory), 0o600);
    return { ...description, devIssuer, template, lambda, stepFunctions, awsCalls, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** Where the functions reach each emulated service. */
interface ServiceEndpoints {
  readonly dynamoDb: string;
  readonly s3: string;
  readonly stepFunctions: string;
  readonly eventBridge: string;
}

/** A recording proxy in front of each emulator (see AwsCallJournal), stopped with the stack. */
async function recordingEndpoints(
  endpoints: ServiceEndpoints,
  journal: AwsCallJournal,
  stoppers: Array<() => Promise<void>>,
): Promise<ServiceEndpoints> {
  const proxy = async (upstream: string, describe: Parameters<typeof startRecordingProxy>[1]) => {
    const started = await startRecordingProxy(upstream, describe, journal);
    stoppers.push(() => started.close());
    return started.endpoint;
  };
  return {
    dynamoDb: await proxy(endpoints.dynamoDb, dynamoDbAccess),
    s3: await proxy(endpoints.s3, s3Access),
    stepFunctions: await proxy(endpoints.stepFunctions, stepFunctionsAccess),
    eventBridge: await proxy(endpoints.eventBridge, eventBridgeAccess),
  };
}

/**
 * The variables the Lambda service gives every function, pointed at the emulators. The SDK
 * reads the AWS_ENDPOINT_URL_* variables itself, so the handlers carry no local-only code.
 */
function lambdaServiceEnvironment(endpoints: ServiceEndpoints): Record<string, string> {
  return {
    AWS_REGION: LOCAL_ENVIRONMENT.region,
    AWS_DEFAULT_REGION: LOCAL_ENVIRONMENT.region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_ENDPOINT_URL_DYNAMODB: endpoints.dynamoDb,
    AWS_ENDPOINT_URL_S3: endpoints.s3,
    AWS_ENDPOINT_URL_SFN: endpoints.stepFunctions,
    AWS_ENDPOINT_URL_EVENTBRIDGE: endpoints.eventBridge,
    AWS_REQUEST_CHECKSUM_CALCULATION: 'WHEN_REQUIRED',
    AWS_RESPONSE_CHECKSUM_VALIDATION: 'WHEN_REQUIRED',
    AWS_NODEJS_CONNECTION_REUSE_ENABLED: '1',
    TZ: 'UTC',
    NODE_PATH: runtimeProvidedModules(),
    PATH: process.env.PATH ?? '',
  };
}

/**
 * The value of each asked-for resource, read from the environment variable that names it to the
 * functions (as resolved here). A variable no function is given is a mistake of the caller.
 */
function resourceNames<Resource extends string>(
  template: CloudFormationTemplate,
  variables: Readonly<Record<Resource, string>> | undefined,
): Record<Resource, string> {
  const environment: Record<string, string> = {};
  for (const [, resource] of template.ofType('AWS::Lambda::Function')) {
    Object.assign(environment, template.resolve(resource.Properties?.Environment?.Variables ?? {}));
  }
  const names = {} as Record<Resource, string>;
  for (const [resource, variable] of Object.entries(variables ?? {}) as Array<[Resource, string]>) {
    if (environment[variable] === undefined)
      throw new Error(
        `No function of ${template.stackName} is given ${variable} (asked for as resource '${resource}')`,
      );
    names[resource] = environment[variable];
  }
  return names;
}

/**
 * The local stack's own control paths, for tests and demos: `POST /__local/faults` injects an
 * InjectedFault into the function runtime, `GET` lists them with what remains of each,
 * `DELETE` clears them; `GET /__local/events` lists the events put on the buses; `GET
 * /__local/calls` the AWS calls recorded (with `recordAwsCalls`).
 */
function controlPaths(lambda: LocalLambdaRuntime, eventBus: LocalEventBus, awsCalls?: AwsCallJournal) {
  return async ({ method, path: pathName, body }: ControlRequest): Promise<HttpResponse | undefined> => {
    if (pathName === '/__local/calls' && method === 'GET' && awsCalls) {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(awsCalls.list()),
      };
    }
    if (pathName === '/__local/events' && method === 'GET') {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(eventBus.published()),
      };
    }
    if (pathName !== '/__local/faults') return undefined;
    if (method === 'GET') {
      return {
        statusCode: 200,
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(lambda.listFaults()),
      };
    }
    if (method === 'POST') lambda.injectFault(JSON.parse(body) as InjectedFault);
    else if (method === 'DELETE') lambda.clearFaults();
    else return undefined;
    return { statusCode: 204, headers: {}, body: '' };
  };
}

/**
 * The control paths change how the stack behaves (faults) and show what it did (events): only
 * a caller with the admin token may use them. No token: 401; a wrong one: 403.
 */
function requireAdminToken(
  adminToken: string,
  control: (request: ControlRequest) => Promise<HttpResponse | undefined>,
): (request: ControlRequest) => Promise<HttpResponse | undefined> {
  const expected = Buffer.from(`Bearer ${adminToken}`);
  return async (request) => {
    const authorization = request.headers.authorization;
    const refuse = (statusCode: number, message: string): HttpResponse => ({
      statusCode,
      headers: {
        'content-type': 'application/json',
        ...(statusCode === 401 && { 'www-authenticate': 'Bearer realm="local-stack-admin"' }),
      },
      body: JSON.stringify({ message }),
    });
    if (typeof authorization !== 'string' || authorization === '') {
      return refuse(401, 'The local control paths need Authorization: Bearer <adminToken> (see local-stack.json)');
    }
    const given = Buffer.from(authorization);
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      return refuse(403, 'Wrong admin token');
    }
    return control(request);
  };
}

/**
 * The value of every API key: the template's when it sets one, otherwise one generated the first
 * time (as API Gateway would) and kept in the data folder.
 */
function apiKeyValues(api: RestApiDefinition, file: string): Record<string, string> {
  const generated: Record<string, string> = fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, 'utf8')) : {};
  const values: Record<string, string> = {};
  for (const key of api.apiKeys) {
    values[key.logicalId] = key.value ?? (generated[key.logicalId] ??= randomBytes(20).toString('base64url'));
  }
  fs.writeFileSync(file, JSON.stringify(generated, null, 2));
  return values;
}
