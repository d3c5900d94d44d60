import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import {
  FailedAssertionError,
  FetchError,
  JwkValidationError,
  JwksNotAvailableInCacheError,
  JwksValidationError,
  JwtBaseError,
  ParameterValidationError,
} from 'aws-jwt-verify/error';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { AUTH_ENVIRONMENT } from '../contract/environment';
import { requiredEnv } from './required-env';

export type VerifiedClaims = Record<string, unknown> & { sub?: string };

export interface TokenVerifier {
  /** The token's claims, once its signature, expiry, issuer, audience and use are checked. Throws otherwise. */
  verify(token: string): Promise<VerifiedClaims>;
}

/**
 * Whether verification failed because of the token itself (malformed, badly signed, expired,
 * wrong issuer, audience or use, unknown key): the caller's fault, a 401. Anything else — the
 * issuer's keys could not be fetched or were invalid — is the service's, and must not read as
 * a bad token.
 */
export function isTokenRejection(error: unknown): boolean {
  return (
    error instanceof JwtBaseError &&
    !(error instanceof FetchError) &&
    !(error instanceof JwksValidationError) &&
    !(error instanceof JwkValidationError) &&
    !(error instanceof JwksNotAvailableInCacheError) &&
    !(error instanceof ParameterValidationError)
  );
}

/** Attempts at fetching the issuer's keys before giving up: a dropped connection is retried. */
const JWKS_FETCH_ATTEMPTS = 3;

/**
 * Fetches a JWKS with Node's fetch (aws-jwt-verify's own fetcher speaks HTTPS only, which rules
 * out the local development issuer; the construct still requires HTTPS for any other host).
 * Network errors and 5xx answers are retried with a short backoff; the keys are then cached.
 */
class JwksFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    for (let attempt = 1; ; attempt++) {
      try {
        const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
        if (response.ok) return await response.arrayBuffer();
        if (response.status < 500 || attempt >= JWKS_FETCH_ATTEMPTS) {
          throw new FetchError(uri, `JWKS answered ${response.status}`);
        }
      } catch (error) {
        if (error instanceof FetchError || attempt >= JWKS_FETCH_ATTEMPTS) {
          throw error instanceof FetchError ? error : new FetchError(uri, (error as Error).message);
        }
      }
      await new Promise((resolve) => setTimeout(resolve, 100 * 2 ** attempt));
    }
  }
}

/**
 * The verifier of this execution environment, from aws-jwt-verify: for a Cognito user pool or
 * any OIDC issuer (JWKS URI, audiences). It checks the RS256-family signature against the
 * issuer's keys (cached), `exp`, `nbf`, `iss`, the audience (or Cognito client id) and the
 * token's use; unsigned (`alg: none`) tokens are refused.
 */
export function tokenVerifierFromEnvironment(): TokenVerifier {
  const tokenUse = requiredEnv(AUTH_ENVIRONMENT.tokenUse);
  const jwksCache = new SimpleJwksCache({ fetcher: new JwksFetcher() });
  if (requiredEnv(AUTH_ENVIRONMENT.issuerKind) === 'cognito') {
    const verifier = CognitoJwtVerifier.create(
      {
        userPoolId: requiredEnv(AUTH_ENVIRONMENT.userPoolId),
        tokenUse: tokenUse === 'id' ? 'id' : 'access',
        clientId: requiredEnv(AUTH_ENVIRONMENT.clientIds).split(','),
      },
      { jwksCache },
    );
    return { verify: (token) => verifier.verify(token) as Promise<VerifiedClaims> };
  }
  const verifier = JwtRsaVerifier.create(
    {
      issuer: requiredEnv(AUTH_ENVIRONMENT.issuer),
      jwksUri: requiredEnv(AUTH_ENVIRONMENT.jwksUri),
      audience: requiredEnv(AUTH_ENVIRONMENT.audiences).split(','),
      customJwtCheck: ({ payload }) => {
        if (payload.token_use !== tokenUse) {
          throw new FailedAssertionError(`token_use must be ${tokenUse}`, payload.token_use, tokenUse);
        }
      },
    },
    { jwksCache },
  );
  return { verify: (token) => verifier.verify(token) as Promise<VerifiedClaims> };
}
