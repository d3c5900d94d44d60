import type { TSchema } from '@sinclair/typebox';
import { HEADERS } from '../lambda/contract/headers';
import { JobListSchema, JobRecordSchema } from '../lambda/contract/job-record';
import {
  COMMON_HEADERS,
  OPERATIONS,
  pathParameterNames,
  queryParameterNames,
  type OperationSpec,
} from '../lambda/contract/operations';
import { CreateJobRequestSchema } from '../lambda/contract/create-job-request';
import {
  CreateDatasetRequestSchema,
  CreatedDatasetSchema,
  DatasetByIdSchema,
  DatasetListSchema,
  DatasetPageSchema,
  DatasetSchema,
} from '../lambda/contract/dataset';
import { PROBLEM_CONTENT_TYPE, ProblemSchema } from '../lambda/contract/problem';
import { toPlainJsonSchema } from '../lambda/contract/schema-helpers';

type Json = Record<string, unknown>;

/** Components named in the document, each generated from the schema the code uses. */
const SCHEMAS: ReadonlyArray<[string, TSchema]> = [
  ['CreateExportJobRequest', CreateJobRequestSchema],
  ['ExportJob', JobRecordSchema],
  ['ExportJobList', JobListSchema],
  ['CreateDatasetRequest', CreateDatasetRequestSchema],
  ['CreatedDataset', CreatedDatasetSchema],
  ['Dataset', DatasetSchema],
  ['DatasetById', DatasetByIdSchema],
  ['DatasetPage', DatasetPageSchema],
  ['DatasetList', DatasetListSchema],
  ['Problem', ProblemSchema],
];

const HEADER_DESCRIPTIONS: Readonly<Record<string, { description: string; required: boolean }>> = {
  [HEADERS.orgId]: { description: 'Organisation of the tenant.', required: true },
  [HEADERS.sandboxName]: { description: 'Sandbox of the tenant.', required: true },
  [HEADERS.profileInstanceId]: {
    description: "Recorded on the job as profileInstanceId. Default 'ups'.",
    required: false,
  },
  [HEADERS.idempotencyKey]: {
    description: 'Retrying with the same key and body within 24 h returns the first job; another body gets 409.',
    required: false,
  },
};

const ERROR_DESCRIPTIONS: Readonly<Record<number, string>> = {
  400: 'Invalid request: every problem is listed in errors[].',
  401: 'Missing or invalid bearer token.',
  403: 'The token does not grant this tenant, or the API key is missing or invalid.',
  404: 'No such job or dataset in this tenant (or no such route).',
  409: 'The Idempotency-Key was used with another body, or its first request is still running.',
  415: 'The body is not sent as application/json.',
  422: "The request names what the tenant does not have or what does not fit it (the job's dataset, its schema), or asks for a feature the service does not support yet: every problem is listed in errors[].",
  429: 'Throttled or over quota; retry after Retry-After seconds.',
  500: 'Internal error.',
};

/** Errors any operation can answer, before or around the function. */
const COMMON_ERRORS = [401, 403, 429, 500];

/**
 * The OpenAPI 3 document of the API, built from the operations list and the schemas the
 * handlers validate with and the API Gateway model is made of. `basePath` is the construct's
 * prop of that name: the paths are mounted under it.
 */
export function buildOpenApiDocument(version: string, basePath = ''): Json {
  return {
    openapi: '3.0.3',
    info: {
      title: 'Export Jobs API',
      version,
      description:
        'Asynchronous jobs that export the customer profiles matching a filter into dataset batches. ' +
        'Every error is application/problem+json.',
    },
    security: [{ bearerAuth: [], apiKey: [] }],
    paths: paths(basePath),
    components: {
      securitySchemes: {
        bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
        apiKey: { type: 'apiKey', in: 'header', name: HEADERS.apiKey },
      },
      schemas: Object.fromEntries(SCHEMAS.map(([name, schema]) => [name, openApiSchema(schema)])),
    },
  };
}

function paths(basePath: string): Json {
  const result: Record<string, Json> = {};
  for (const operation of OPERATIONS) {
    (result[`${basePath}${operation.path}`] ??= {})[operation.method.toLowerCase()] = pathItemOperation(operation);
  }
  return result;
}

function pathItemOperation(operation: OperationSpec): Json {
  const querySchema = (operation.query as { properties?: Record<string, TSchema> } | undefined)?.properties ?? {};
  const parameters = [
    ...pathParameterNames(operation.path).map((name) => ({
      name,
      in: 'path',
      required: true,
      schema: { type: 'string', pattern: operation.pathParameters?.[name] },
    })),
    ...queryParameterNames(operation).map((name) => ({
      name,
      in: 'query',
      required: false,
      schema: openApiSchema(querySchema[name]),
    })),
    ...[...COMMON_HEADERS, ...(operation.headers ?? [])].map((name) => ({
      name,
      in: 'header',
      required: HEADER_DESCRIPTIONS[name].required,
      description: HEADER_DESCRIPTIONS[name].description,
      schema: { type: 'string' },
    })),
  ];
  const successSchema = componentName(operation.success.schema);
  const requestSchema = componentName(operation.requestBody);
  return {
    operationId: operation.operationId,
    summary: operation.summary,
    parameters,
    ...(operation.requestBody && {
      requestBody: {
        required: true,
        content: { 'application/json': { schema: { $ref: `#/components/schemas/${requestSchema}` } } },
      },
    }),
    responses: {
      [operation.success.status]: {
        description: operation.success.description,
        ...(successSchema && {
          content: { 'application/json': { schema: { $ref: `#/components/schemas/${successSchema}` } } },
        }),
      },
      ...Object.fromEntries(
        [...operation.errorStatuses, ...COMMON_ERRORS].map((status) => [
          status,
          {
            description: ERROR_DESCRIPTIONS[status],
            ...(status === 429 && { headers: { 'Retry-After': { schema: { type: 'integer' } } } }),
            content: { [PROBLEM_CONTENT_TYPE]: { schema: { $ref: '#/components/schemas/Problem' } } },
          },
        ]),
      ),
    },
  };
}

/** The name of the component a schema of the code is published as. */
function componentName(schema: TSchema | undefined): string | undefined {
  return schema && SCHEMAS.find(([, candidate]) => candidate === schema)?.[0];
}

/** A JSON Schema as an OpenAPI 3.0 schema object (which has no `$schema` keyword). */
export function openApiSchema(schema: TSchema): Json {
  const { $schema: _dialect, ...rest } = toPlainJsonSchema(schema);
  return rest;
}
