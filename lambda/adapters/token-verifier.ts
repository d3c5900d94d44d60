import { CognitoJwtVerifier, JwtRsaVerifier } from 'aws-jwt-verify';
import type { Fetcher } from 'aws-jwt-verify/https';
import { SimpleJwksCache } from 'aws-jwt-verify/jwk';
import { AUTH_ENVIRONMENT } from '../contract/environment';
import { requiredEnv } from './required-env';

export type VerifiedClaims = Record<string, unknown> & { sub?: string };

export interface TokenVerifier {
  /** The token's claims, once its signature, expiry, issuer, audience and use are checked. Throws otherwise. */
  verify(token: string): Promise<VerifiedClaims>;
}

/**
 * Fetches a JWKS with Node's fetch (aws-jwt-verify's own fetcher speaks HTTPS only, which rules
 * out the local development issuer; the construct still requires HTTPS for any other host).
 */
class JwksFetcher implements Fetcher {
  async fetch(uri: string): Promise<ArrayBuffer> {
    const response = await fetch(uri, { signal: AbortSignal.timeout(3000) });
    if (!response.ok) throw new Error(`JWKS ${uri} answered ${response.status}`);
    return response.arrayBuffer();
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
        if (payload.token_use !== tokenUse) throw new Error(`token_use must be ${tokenUse}`);
      },
    },
    { jwksCache },
  );
  return { verify: (token) => verifier.verify(token) as Promise<VerifiedClaims> };
}
