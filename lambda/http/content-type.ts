import { HEADERS } from '../contract/headers';
import { UnsupportedMediaTypeError } from '../domain/errors';
import type { HttpRequest } from './http-request';

const JSON_MEDIA_TYPE = /^application\/(?:[\w.+-]+\+)?json$/i;

/** A body must be declared as JSON (`application/json`, parameters such as charset allowed). */
export function requireJsonContentType(request: HttpRequest): void {
  const mediaType = request.headers[HEADERS.contentType]?.split(';')[0].trim() ?? '';
  if (!JSON_MEDIA_TYPE.test(mediaType)) {
    throw new UnsupportedMediaTypeError(
      `The request body must be sent as application/json${mediaType ? `, not ${mediaType}` : ''}.`,
      [{ path: `/${HEADERS.contentType}`, code: 'media_type', message: 'must be application/json' }],
    );
  }
}
