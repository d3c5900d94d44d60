import type { TSchema } from '@sinclair/typebox';
import { HEADERS } from './headers';
import { CreateJobRequestSchema } from './create-job-request';
import { JobListSchema, JobRecordSchema } from './job-record';
import { ListJobsQuerySchema } from './list-jobs-query';
import { CONFIG_ID_PATTERN } from './config-table';
import {
  CreateMergePolicyRequestSchema,
  ListConfigQuerySchema,
  MergePolicyListSchema,
  MergePolicySchema,
  UpdateMergePolicyRequestSchema,
} from './merge-policy';
import {
  CreateSegmentDefinitionRequestSchema,
  SegmentDefinitionListSchema,
  SegmentDefinitionSchema,
  UpdateSegmentDefinitionRequestSchema,
} from './segment-definition';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

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
    | 'listMergePolicies'
    | 'createMergePolicy'
    | 'getMergePolicy'
    | 'updateMergePolicy'
    | 'deleteMergePolicy'
    | 'listSegmentDefinitions'
    | 'createSegmentDefinition'
    | 'getSegmentDefinition'
    | 'updateSegmentDefinition'
    | 'deleteSegmentDefinition';
  readonly method: HttpMethod;
  /** Path template below the API root. */
  readonly path: string;
  /**
   * Handler module under lambda/handlers (without extension). Operations that name the same
   * module share one function (the five routes of a config resource).
   */
  readonly handler: string;
  /**
   * The pattern of the path's `{id}`.
   * @default JOB_ID_PATTERN - a job id
   */
  readonly idPattern?: string;
  readonly summary: string;
  readonly query?: TSchema;
  /** Request headers the operation reads besides the tenant and auth headers every operation needs. */
  readonly headers?: readonly string[];
  readonly requestBody?: TSchema;
  /** Success status and, unless 204, the schema of its body. */
  readonly success: { readonly status: 200 | 204; readonly schema?: TSchema; readonly description: string };
  /** Error statuses the operation itself returns (auth and throttling errors are common to all). */
  readonly errorStatuses: readonly number[];
  /** Whether the operation changes jobs; read-only ones are granted read access only. */
  readonly writes: boolean;
}

/** Headers every operation requires: the tenant (and, in front of it, the API key and token). */
export const COMMON_HEADERS = [HEADERS.orgId, HEADERS.sandboxName] as const;

export const JOBS_PATH = '/export/jobs';
export const JOB_PATH = '/export/jobs/{id}';
export const MERGE_POLICIES_PATH = '/config/mergePolicies';
export const MERGE_POLICY_PATH = '/config/mergePolicies/{id}';
export const SEGMENT_DEFINITIONS_PATH = '/segment/definitions';
export const SEGMENT_DEFINITION_PATH = '/segment/definitions/{id}';

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
    writes: false,
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
    writes: true,
  },
  {
    operationId: 'getJob',
    method: 'GET',
    path: JOB_PATH,
    handler: 'get-job',
    summary: 'Get one export job.',
    success: { status: 200, schema: JobRecordSchema, description: 'The job.' },
    errorStatuses: [400, 404],
    writes: false,
  },
  {
    operationId: 'deleteJob',
    method: 'DELETE',
    path: JOB_PATH,
    handler: 'delete-job',
    summary: 'Cancel a NEW or PROCESSING job, or delete a finished one.',
    success: { status: 204, description: 'Cancelled, marked for cancelling, or deleted.' },
    errorStatuses: [400, 404],
    writes: true,
  },
  ...configOperations({
    ids: ['listMergePolicies', 'createMergePolicy', 'getMergePolicy', 'updateMergePolicy', 'deleteMergePolicy'],
    handler: 'merge-policies',
    collection: MERGE_POLICIES_PATH,
    item: MERGE_POLICY_PATH,
    one: 'merge policy',
    many: 'merge policies',
    schemas: {
      create: CreateMergePolicyRequestSchema,
      update: UpdateMergePolicyRequestSchema,
      record: MergePolicySchema,
      list: MergePolicyListSchema,
    },
  }),
  ...configOperations({
    ids: [
      'listSegmentDefinitions',
      'createSegmentDefinition',
      'getSegmentDefinition',
      'updateSegmentDefinition',
      'deleteSegmentDefinition',
    ],
    handler: 'segment-definitions',
    collection: SEGMENT_DEFINITIONS_PATH,
    item: SEGMENT_DEFINITION_PATH,
    one: 'segment definition',
    many: 'segment definitions',
    schemas: {
      create: CreateSegmentDefinitionRequestSchema,
      update: UpdateSegmentDefinitionRequestSchema,
      record: SegmentDefinitionSchema,
      list: SegmentDefinitionListSchema,
    },
  }),
];

type OperationId = OperationSpec['operationId'];

/**
 * The five routes of a config resource of the tenant (merge policies, segment definitions):
 * list and create on the collection, get, update (PATCH) and delete by id, all in one handler.
 */
function configOperations(resource: {
  ids: [list: OperationId, create: OperationId, get: OperationId, update: OperationId, remove: OperationId];
  handler: string;
  collection: string;
  item: string;
  one: string;
  many: string;
  schemas: { create: TSchema; update: TSchema; record: TSchema; list: TSchema };
}): OperationSpec[] {
  const [list, create, get, update, remove] = resource.ids;
  const { one, many, schemas } = resource;
  const shared = { handler: resource.handler, idPattern: CONFIG_ID_PATTERN };
  const onCollection = { ...shared, path: resource.collection };
  const onItem = { ...shared, path: resource.item };
  return [
    {
      ...onCollection,
      operationId: list,
      method: 'GET',
      summary: `List the ${many} of the tenant.`,
      query: ListConfigQuerySchema,
      success: { status: 200, schema: schemas.list, description: `A page of ${many}.` },
      errorStatuses: [400],
      writes: false,
    },
    {
      ...onCollection,
      operationId: create,
      method: 'POST',
      summary: `Create a ${one}.`,
      requestBody: schemas.create,
      success: { status: 200, schema: schemas.record, description: `The new ${one}.` },
      errorStatuses: [400, 409, 415, 422],
      writes: true,
    },
    {
      ...onItem,
      operationId: get,
      method: 'GET',
      summary: `Get one ${one}.`,
      success: { status: 200, schema: schemas.record, description: `The ${one}.` },
      errorStatuses: [400, 404],
      writes: false,
    },
    {
      ...onItem,
      operationId: update,
      method: 'PATCH',
      summary: `Change fields of a ${one}.`,
      requestBody: schemas.update,
      success: { status: 200, schema: schemas.record, description: `The ${one} as changed.` },
      errorStatuses: [400, 404, 409, 415, 422],
      writes: true,
    },
    {
      ...onItem,
      operationId: remove,
      method: 'DELETE',
      summary: `Delete a ${one}.`,
      success: { status: 204, description: 'Deleted.' },
      errorStatuses: [400, 404, 409],
      writes: true,
    },
  ];
}

/** The names of the `{parameters}` of a path template. */
export function pathParameterNames(path: string): string[] {
  return [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((match) => match[1]);
}

/** Names of the query parameters an operation accepts. */
export function queryParameterNames(operation: OperationSpec): string[] {
  return Object.keys((operation.query as { properties?: object } | undefined)?.properties ?? {});
}
