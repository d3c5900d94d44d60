import { MAX_REQUEST_BODY_BYTES } from '../contract/create-job-request';
import { InvalidRequestError } from './errors';

/**
 * The JSON value of a POST body: absent, too large or malformed bodies are refused with one
 * problem saying which (the body's schema is checked afterwards, listing every field).
 */
export function parseJsonBody(body: string | undefined): unknown {
  if (body === undefined || body.trim() === '') {
    throw new InvalidRequestError('The request body is required.', [
      { path: '', code: 'required', message: 'a JSON object is required' },
    ]);
  }
  const size = Buffer.byteLength(body, 'utf8');
  if (size > MAX_REQUEST_BODY_BYTES) {
    throw new InvalidRequestError('The request body is too large.', [
      { path: '', code: 'too_large', message: `is ${size} bytes; at most ${MAX_REQUEST_BODY_BYTES} are accepted` },
    ]);
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InvalidRequestError('The request body is not valid JSON.', [
      { path: '', code: 'malformed_json', message: (error as Error).message },
    ]);
  }
}
