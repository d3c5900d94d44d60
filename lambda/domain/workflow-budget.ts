import { MAX_MERGE_POLICY_VERSION } from '../contract/create-job-request';
import { MAX_WORKFLOW_JOB_BYTES } from '../contract/workflow';
import { MAX_PRECEDENCE_DATASETS, type AttributeMergeSpec } from '../contract/merge-policy';
import { FILE_FORMATS } from '../contract/file-format';
import type { CreateJobCommand } from './create-job-command';
import type { FieldError } from './errors';
import { executionInputOf } from './export/start-export';
import { newJob } from './new-job';

/** The heaviest tenant a job can have: 256 printable characters that JSON escapes (`"`), twice. */
const HEAVIEST_TENANT = { orgId: '"'.repeat(256), sandboxName: '"'.repeat(256) };

/**
 * The heaviest rule a merge policy can have: the most datasets, each id at its longest (ids hold
 * no character that JSON escapes). The job carries its policy's rule, resolved after this check.
 */
const HEAVIEST_ATTRIBUTE_MERGE: AttributeMergeSpec = {
  type: 'dataSetPrecedence',
  order: Array.from({ length: MAX_PRECEDENCE_DATASETS }, (_, index) => String(index).padStart(128, 'x')),
};

/** The format whose name weighs most. */
const HEAVIEST_FORMAT = [...FILE_FORMATS].sort((a, b) => b.length - a.length)[0];

/**
 * The bytes the job a command creates weighs in the workflow's payloads, measured on the job
 * itself (batches and defaults included) with the heaviest id, tenant and times it could get.
 */
export function workflowJobBytes(command: CreateJobCommand): number {
  const job = newJob(command, {
    id: Number.MAX_SAFE_INTEGER,
    tenant: HEAVIEST_TENANT,
    profileInstanceId: '"'.repeat(256),
    requestId: '',
    now: 9_999_999_999_999,
    newBatchId: () => 'f'.repeat(32),
    executionId: '',
    format: HEAVIEST_FORMAT,
    // The policy it names with the largest version, or (naming none) the heaviest a default's id could be.
    mergePolicy: { id: command.mergePolicy?.id ?? '"'.repeat(256), version: MAX_MERGE_POLICY_VERSION },
  });
  return Buffer.byteLength(
    JSON.stringify(executionInputOf({ ...job, attributeMerge: HEAVIEST_ATTRIBUTE_MERGE }).job),
    'utf8',
  );
}

/**
 * A job too heavy for Step Functions' 256 KiB payloads would be accepted and then never run:
 * it is refused up front, saying by how much it is over.
 */
export function workflowBudgetErrors(command: CreateJobCommand): FieldError[] {
  const bytes = workflowJobBytes(command);
  if (bytes <= MAX_WORKFLOW_JOB_BYTES) return [];
  return [
    {
      path: '',
      code: 'too_large',
      message: `the job would weigh ${bytes} bytes in the export workflow; at most ${MAX_WORKFLOW_JOB_BYTES} are accepted (fewer or shorter segments, fields or identifiers)`,
    },
  ];
}
