import { IdempotencyConflictError, JobNotFoundError, TenantForbiddenError } from '../../lambda/domain/errors';
import { errorResponse } from '../../lambda/http/problems';

const bodyOf = (error: unknown) => JSON.parse(errorResponse(error, 'request-1').body as string);

describe('problems of the handlers', () => {
  it.each([
    [
      'a conflict',
      new IdempotencyConflictError('This Idempotency-Key was already used with a different request.'),
      409,
    ],
    ['a forbidden tenant', new TenantForbiddenError('The token does not grant this tenant.'), 403],
  ])(
    'GIVEN %s, which names no field, WHEN answered THEN errors[] has one entry for the whole request',
    (_, error, status) => {
      const body = bodyOf(error);
      expect(body.status).toBe(status);
      expect(body.errors).toEqual([
        { path: '', code: (error as { kind: string }).kind, message: (error as Error).message },
      ]);
    },
  );

  it('GIVEN a missing job WHEN answered THEN the 404 names /id in errors[]', () => {
    expect(bodyOf(new JobNotFoundError(7))).toMatchObject({
      status: 404,
      errors: [{ path: '/id', code: 'not_found', message: expect.stringContaining('7') }],
    });
  });

  it('GIVEN an unexpected error WHEN answered THEN it is a 500 that reveals nothing, errors[] empty', () => {
    expect(bodyOf(new Error('secret stack detail'))).toMatchObject({ status: 500, errors: [] });
  });
});
