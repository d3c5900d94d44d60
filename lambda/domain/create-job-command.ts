import { CreateJobRequestSchema, DEFAULT_SEGMENT_STATUS, type CreateJobRequest } from '../contract/create-job-request';
import type { JobFilter } from '../contract/job-record';
import { InvalidRequestError, type FieldError } from './errors';
import { formatFieldList, parseFieldList } from './field-paths';
import { parseJsonBody } from './json-body';
import { pointer } from './json-pointer';
import { compileSchema } from './schema-validator';
import { workflowBudgetErrors } from './workflow-budget';

/** A create request after validation, with every default filled in. */
export interface CreateJobCommand {
  readonly fields?: string;
  /** The merge policy the request names; absent = the tenant's default (resolved when the job is created). */
  readonly mergePolicy?: { readonly id: string; readonly version?: number };
  readonly filter: JobFilter;
  readonly additionalFields?: CreateJobRequest['additionalFields'];
  readonly destination: { readonly datasetId: string; readonly segmentPerBatch: boolean };
  readonly schema: { readonly name: string };
  readonly evaluationInfo: { readonly segmentation: boolean };
}

const requestValidator = compileSchema<CreateJobRequest>(CreateJobRequestSchema);

/**
 * Parses and validates a raw POST body. Throws InvalidRequestError listing every problem. What
 * depends on the tenant's stores (dataset, merge policy, segment definitions) is checked when
 * the job is created.
 */
export function parseCreateJobBody(body: string | undefined): CreateJobCommand {
  return toCreateJobCommand(parseJsonBody(body));
}

export function toCreateJobCommand(json: unknown): CreateJobCommand {
  const checked = requestValidator.validate(json);
  // The rules a schema cannot express run even on a body the schema rejects (wherever the
  // value they look at is well-typed), so one response lists every problem.
  const ruleErrors = checkRules(json);
  if (!checked.ok)
    throw new InvalidRequestError('The request body is invalid.', mergeErrors(checked.errors, ruleErrors));
  if (ruleErrors.length > 0) throw new InvalidRequestError('The request body is invalid.', ruleErrors);
  const request = checked.value;

  const window = request.filter?.segmentQualificationTime;
  const eventList = request.additionalFields?.eventList;
  const filter: JobFilter = { emptyProfiles: request.filter?.emptyProfiles ?? false };
  if (request.filter?.segments) {
    filter.segments = request.filter.segments.map((segment) => ({
      ...segment,
      status: segment.status ?? [...DEFAULT_SEGMENT_STATUS],
    }));
  }
  if (window) filter.segmentQualificationTime = window;
  if (request.filter?.fromIngestTimestamp) filter.fromIngestTimestamp = request.filter.fromIngestTimestamp;
  const { datasetId, dataSetId, segmentPerBatch } = request.destination;

  const command: CreateJobCommand = {
    ...(request.fields !== undefined && { fields: canonicalFields(request.fields) }),
    ...(request.mergePolicy && { mergePolicy: request.mergePolicy }),
    filter,
    ...(eventList && {
      additionalFields: {
        eventList: {
          ...(eventList.fields !== undefined && { fields: canonicalFields(eventList.fields) }),
          filter: eventList.filter,
        },
      },
    }),
    destination: { datasetId: (datasetId ?? dataSetId) as string, segmentPerBatch: segmentPerBatch ?? false },
    schema: request.schema,
    evaluationInfo: { segmentation: request.evaluationInfo?.segmentation ?? false },
  };
  const budgetErrors = workflowBudgetErrors(command);
  if (budgetErrors.length > 0) throw new InvalidRequestError('The request body is invalid.', budgetErrors);
  return command;
}

/** The rules of a create request that JSON Schema cannot express, checked on whatever was sent. */
function checkRules(json: unknown): FieldError[] {
  const errors: FieldError[] = [];
  const body = asObject(json);
  const filter = asObject(body.filter);
  const eventList = asObject(asObject(body.additionalFields).eventList);
  const destination = asObject(body.destination);

  for (const [value, path] of [
    [body.fields, '/fields'],
    [eventList.fields, '/additionalFields/eventList/fields'],
  ] as const) {
    if (typeof value === 'string') errors.push(...parseFieldList(value, path).errors);
  }

  if (filter.segmentQualificationTime !== undefined && filter.segments === undefined) {
    errors.push({
      path: '/filter/segmentQualificationTime',
      code: 'requires',
      message: 'applies to the memberships of filter.segments, which is missing',
    });
  }
  const window = asObject(filter.segmentQualificationTime);
  checkOrder(window.startTime, window.endTime, '/filter/segmentQualificationTime', ['startTime', 'endTime'], errors);
  const eventWindow = asObject(eventList.filter);
  checkOrder(
    eventWindow.fromIngestTimestamp,
    eventWindow.toIngestTimestamp,
    '/additionalFields/eventList/filter',
    ['fromIngestTimestamp', 'toIngestTimestamp'],
    errors,
  );

  const segments = Array.isArray(filter.segments) ? filter.segments.map(asObject) : undefined;
  segments?.forEach((segment, index) => {
    const first = segments.findIndex((s) => s.segmentId === segment.segmentId && s.segmentNs === segment.segmentNs);
    if (first !== index) {
      errors.push({
        path: `/filter/segments/${index}`,
        code: 'duplicate',
        message: `repeats segment ${first} (same segmentId and segmentNs)`,
      });
    }
  });

  const { datasetId, dataSetId } = destination;
  if (typeof datasetId === 'string' && typeof dataSetId === 'string' && datasetId !== dataSetId) {
    errors.push({
      path: '/destination/dataSetId',
      code: 'conflict',
      message: 'is another spelling of datasetId and must hold the same value',
    });
  }
  if (destination.segmentPerBatch === true && filter.segments === undefined) {
    errors.push({
      path: '/destination/segmentPerBatch',
      code: 'requires',
      message: 'true requires filter.segments: there is one batch per listed segment',
    });
  }
  return errors;
}

function asObject(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function mergeErrors(first: FieldError[], second: FieldError[]): FieldError[] {
  const seen = new Set(first.map((error) => error.path));
  return [...first, ...second.filter((error) => !seen.has(error.path))];
}

function canonicalFields(text: string): string {
  return formatFieldList(parseFieldList(text, '').paths);
}

function checkOrder(start: unknown, end: unknown, base: string, names: [string, string], errors: FieldError[]): void {
  if (typeof start === 'string' && typeof end === 'string' && Date.parse(start) > Date.parse(end)) {
    errors.push({ path: pointer(base, names[0]), code: 'order', message: `must not be after ${names[1]}` });
  }
}
