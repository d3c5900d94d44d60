import {
  FetchError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtExpiredError,
  JwtInvalidSignatureError,
  JwtParseError,
  KidNotFoundInJwksError,
} from 'aws-jwt-verify/error';
import { isTokenRejection } from '../../lambda/adapters/token-verifier';

describe('what the authorizer calls a bad token', () => {
  it.each([
    ['a malformed token', new JwtParseError('not a JWT')],
    ['a bad signature', new JwtInvalidSignatureError('bad signature')],
    ['an expired token', new JwtExpiredError('expired', 1, '2')],
    ['a key the issuer does not have', new KidNotFoundInJwksError('unknown kid')],
  ])('GIVEN %s WHEN verification fails THEN it is a rejection of the token (401)', (_, error) => {
    expect(isTokenRejection(error)).toBe(true);
  });

  it.each([
    ['an issuer that could not be reached', new FetchError('https://issuer/jwks', 'read ECONNRESET')],
    ['an invalid JWKS', new JwksValidationError('not a JWKS')],
    ['keys not cached yet', new JwksNotAvailableInCacheError('no JWKS')],
    ['an error of the runtime', new TypeError('fetch failed')],
  ])('GIVEN %s WHEN verification fails THEN it is the service failing, not the token (500)', (_, error) => {
    expect(isTokenRejection(error)).toBe(false);
  });
});
