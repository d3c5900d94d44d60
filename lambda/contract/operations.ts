import type { TSchema } from '@sinclair/typebox';
import { HEADERS } from './headers';
import { CreateJobRequestSchema } from './create-job-request';
import {
  CreateDatasetRequestSchema,
  CreatedDatasetSchema,
  DATASET_ID_PATTERN,
  DatasetByIdSchema,
  DatasetListSchema,
  ListDatasetsQuerySchema,
} from './dataset';
import { JobListSchema, JobRecordSchema } from './job-record';
import { ListJobsQuerySchema } from './list-jobs-query';
import { JOB_ID_PATTERN } from './path-parameters';

export type HttpMethod = 'GET' | 'POST' | 'DELETE';

/** The stores of the service an operation may use; each gets its own table. */
export type Store = 'jobs' | 'datasets';
/** What an operation does with a store: the construct grants read or read-write access by it. */
export type StoreAccess = 'read' | 'write';

/**
 * One operation of the API. The construct creates a Lambda function and an API Gateway method
 * per entry, and the OpenAPI document is written from the same list: the routes are described
 * once, here.
 */
export interface OperationSpec {
  /** Stable name: the OpenAPI operationId and the construct ID of the operation's function. */
  readonly operationId:
    | 'listJobs'
    | 'createJob'
    | 'getJob'
    | 'deleteJob'
    | 'createDataset'
    | 'getDataset'
    | 'listDatasets';
  readonly method: HttpMethod;
  /** Path template below the API root. */
  readonly path: string;
  /** Handler module under lambda/handlers (without extension). */
  readonly handler: string;
  readonly summary: string;
  readonly query?: TSchema;
  /** The pattern of each `{parameter}` of the path. */
  readonly pathParameters?: Readonly<Record<string, string>>;
  /** Request headers the operation reads besides the tenant and auth headers every operation needs. */
  readonly headers?: readonly string[];
  readonly requestBody?: TSchema;
  /** Success status and, unless 204, the schema of its body. */
  readonly success: { readonly status: 200 | 201 | 204; readonly schema?: TSchema; readonly description: string };
  /** Error statuses the operation itself returns (auth and throttling errors are common to all). */
  readonly errorStatuses: readonly number[];
  /** The stores the operation uses and how: it is granted that on each, and nothing on the others. */
  readonly stores: Readonly<Partial<Record<Store, StoreAccess>>>;
}

/** Headers every operation requires: the tenant (and, in front of it, the API key and token). */
export const COMMON_HEADERS = [HEADERS.orgId, HEADERS.sandboxName] as const;

export const JOBS_PATH = '/export/jobs';
export const JOB_PATH = '/export/jobs/{id}';
export const DATASETS_PATH = '/dataSets';
export const DATASET_PATH = '/dataSets/{id}';

export const OPERATIONS: readonly OperationSpec[] = [
  {
    operationId: 'listJobs',
    method: 'GET',
    path: JOBS_PATH,
    handler: 'list-jobs',
    summary: 'List the export jobs of the tenant, newest first.',
    query: ListJobsQuerySchema,
    success: { status: 200, schema: JobListSchema, description: 'A page of jobs.' },
    errorStatuses: [400],
    stores: { jobs: 'read' },
  },
  {
    operationId: 'createJob',
    method: 'POST',
    path: JOBS_PATH,
    handler: 'create-job',
    summary: 'Create an export job.',
    headers: [HEADERS.profileInstanceId, HEADERS.idempotencyKey],
    requestBody: CreateJobRequestSchema,
    success: { status: 200, schema: JobRecordSchema, description: 'The new job, status NEW.' },
    errorStatuses: [400, 409, 415, 422],
    // The job's dataset is read to check it and to copy its file format.
    stores: { jobs: 'write', datasets: 'read' },
  },
  {
    operationId: 'getJob',
    method: 'GET',
    path: JOB_PATH,
    handler: 'get-job',
    summary: 'Get one export job.',
    pathParameters: { id: JOB_ID_PATTERN },
    success: { status: 200, schema: JobRecordSchema, description: 'The job.' },
    errorStatuses: [400, 404],
    stores: { jobs: 'read' },
  },
  {
    operationId: 'deleteJob',
    method: 'DELETE',
    path: JOB_PATH,
    handler: 'delete-job',
    summary: 'Cancel a NEW or PROCESSING job, or delete a finished one.',
    pathParameters: { id: JOB_ID_PATTERN },
    success: { status: 204, description: 'Cancelled, marked for cancelling, or deleted.' },
    errorStatuses: [400, 404],
    stores: { jobs: 'write' },
  },
  {
    operationId: 'createDataset',
    method: 'POST',
    path: DATASETS_PATH,
    handler: 'create-dataset',
    summary: 'Create a dataset, the target of export jobs.',
    requestBody: CreateDatasetRequestSchema,
    success: { status: 201, schema: CreatedDatasetSchema, description: 'The path of the new dataset.' },
    errorStatuses: [400, 415],
    stores: { datasets: 'write' },
  },
  {
    operationId: 'getDataset',
    method: 'GET',
    path: DATASET_PATH,
    handler: 'get-dataset',
    summary: 'Get one dataset, keyed by its id.',
    pathParameters: { id: DATASET_ID_PATTERN },
    success: { status: 200, schema: DatasetByIdSchema, description: 'The dataset, keyed by its id.' },
    errorStatuses: [400, 404],
    stores: { datasets: 'read' },
  },
  {
    operationId: 'listDatasets',
    method: 'GET',
    path: DATASETS_PATH,
    handler: 'list-datasets',
    summary: 'List the datasets of the tenant, newest first, keyed by id; _page.next leads to the next page.',
    query: ListDatasetsQuerySchema,
    success: { status: 200, schema: DatasetListSchema, description: 'A page of datasets.' },
    errorStatuses: [400],
    stores: { datasets: 'read' },
  },
];

/** The names of the `{parameters}` of a path template. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
}

/** Names of the query parameters an operation accepts. */
export function queryParameterNames(operation: OperationSpec): string[] {
  return Object.keys((operation.query as { properties?: object } | undefined)?.properties ?? {});
}
