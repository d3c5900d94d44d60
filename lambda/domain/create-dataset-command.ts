import { CreateDatasetRequestSchema, type CreateDatasetRequest } from '../contract/dataset';
import { DEFAULT_DATASET_FILE_FORMAT, type FileFormat } from '../contract/file-format';
import { findXdmSchema, KNOWN_XDM_SCHEMAS } from '../contract/xdm-schemas';
import { InvalidRequestError, type FieldError } from './errors';
import { parseJsonBody } from './json-body';
import { compileSchema } from './schema-validator';

/** A create-dataset request after validation, with its defaults filled in. */
export interface CreateDatasetCommand {
  readonly name: string;
  readonly description?: string;
  readonly schemaRef: { readonly id: string; readonly contentType?: string };
  readonly fileDescription: { readonly format: FileFormat; readonly containerFormat?: string; readonly persisted?: boolean };
  readonly aspect?: string;
}

const requestValidator = compileSchema<CreateDatasetRequest>(CreateDatasetRequestSchema);

/** Parses and validates a raw POST /dataSets body; throws InvalidRequestError listing every problem. */
export function parseCreateDatasetBody(body: string | undefined): CreateDatasetCommand {
  return toCreateDatasetCommand(parseJsonBody(body));
}

export function toCreateDatasetCommand(json: unknown): CreateDatasetCommand {
  const checked = requestValidator.validate(json);
  // The schema id is checked even when other fields are invalid, so one answer lists all.
  const schemaErrors = unknownSchemaErrors(json);
  const errors = [...(checked.ok ? [] : checked.errors), ...schemaErrors];
  if (!checked.ok || errors.length > 0) throw new InvalidRequestError('The request body is invalid.', errors);
  const request = checked.value;
  return {
    name: request.name,
    ...(request.description !== undefined && { description: request.description }),
    schemaRef: request.schemaRef,
    fileDescription: {
      ...request.fileDescription,
      format: request.fileDescription?.format ?? DEFAULT_DATASET_FILE_FORMAT,
    },
    ...(request.aspect !== undefined && { aspect: request.aspect }),
  };
}

function unknownSchemaErrors(json: unknown): FieldError[] {
  const id = (json as { schemaRef?: { id?: unknown } } | null)?.schemaRef?.id;
  if (typeof id !== 'string' || findXdmSchema(id)) return [];
  return [
    {
      path: '/schemaRef/id',
      code: 'unknown_schema',
      message: `is not a schema this service knows; use one of ${KNOWN_XDM_SCHEMAS.map((schema) => schema.id).join(', ')}`,
    },
  ];
}
