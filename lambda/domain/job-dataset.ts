import type { Dataset } from '../contract/dataset';
import type { FileFormat } from '../contract/file-format';
import { findXdmSchema, KNOWN_XDM_SCHEMAS } from '../contract/xdm-schemas';
import { UnprocessableRequestError, type FieldError } from './errors';
import type { CreateJobCommand } from './create-job-command';

/**
 * What a new job takes from its dataset: the format of its part files. The job's dataset must
 * be one of the tenant's (`dataset` is what the tenant's store holds under the job's
 * `destination.datasetId`), and the job's `schema.name` the export name of that dataset's
 * schema. Every problem is listed: without a dataset, a `schema.name` that no known schema
 * exports is reported too.
 */
export function jobDatasetFormat(command: CreateJobCommand, dataset: Dataset | undefined): FileFormat {
  const errors: FieldError[] = [];
  const { datasetId } = command.destination;
  const schemaName = command.schema.name;
  if (!dataset) {
    errors.push({
      path: '/destination/datasetId',
      code: 'unknown_dataset',
      message: `no dataset ${datasetId} in this organization and sandbox; create it first with POST /dataSets`,
    });
    if (!KNOWN_XDM_SCHEMAS.some((schema) => schema.exportName === schemaName)) {
      errors.push({
        path: '/schema/name',
        code: 'unknown_schema',
        message: `is not the name of a schema this service exports (${KNOWN_XDM_SCHEMAS.map((s) => s.exportName).join(', ')})`,
      });
    }
  } else {
    const exportName = findXdmSchema(dataset.schemaRef.id)?.exportName;
    if (exportName !== schemaName) {
      errors.push({
        path: '/schema/name',
        code: 'schema_mismatch',
        message: `must be ${exportName ?? 'the name of its schema'}, the schema of dataset ${datasetId} (${dataset.schemaRef.id})`,
      });
    }
  }
  if (errors.length > 0) {
    throw new UnprocessableRequestError('The job does not fit its destination dataset.', errors);
  }
  return dataset!.fileDescription.format;
}
