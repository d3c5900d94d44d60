import { FileQuerySchema } from '../../contract/batch-files';
import { InvalidRequestError, type FieldError } from '../errors';
import { compileSchema } from '../schema-validator';

const queryValidator = compileSchema<{ path?: string }>(FileQuerySchema);

/**
 * The query of GET /export/files/{dataSetFileId}: at most one `path`, a file name as the
 * listing gives it (a part or manifest.json). Anything else, such as `../x` or a key, is a 400.
 */
export function parseFileQuery(query: Readonly<Record<string, readonly string[]>>): { path?: string } {
  const errors: FieldError[] = [];
  const single: Record<string, string> = {};
  for (const [name, values] of Object.entries(query)) {
    if (values.length > 1) errors.push({ path: `/${name}`, code: 'repeated', message: 'must appear at most once' });
    single[name] = values[0];
  }
  const checked = queryValidator.validate(single);
  if (!checked.ok) {
    errors.push(
      ...checked.errors.map((error) =>
        error.path === '/path' && error.code === 'pattern'
          ? { ...error, message: 'must be a file name the dataset file lists (a part file or manifest.json)' }
          : error,
      ),
    );
  }
  if (errors.length > 0) throw new InvalidRequestError('The query parameters are invalid.', errors);
  return single;
}
