import type { APIGatewayAuthorizerResult, APIGatewayRequestAuthorizerEvent } from 'aws-lambda';
import { requiredEnv } from '../adapters/required-env';
import { isTokenRejection, tokenVerifierFromEnvironment } from '../adapters/token-verifier';
import { AUTH_ENVIRONMENT } from '../contract/environment';
import { toAuthorizerContext } from '../contract/authorizer-context';
import { grantsFromClaims } from '../domain/tenant-grants';
import { logger, withPowertools } from '../observability/powertools';

const verifier = tokenVerifierFromEnvironment();
const orgsClaim = requiredEnv(AUTH_ENVIRONMENT.orgsClaim);
const sandboxesClaim = requiredEnv(AUTH_ENVIRONMENT.sandboxesClaim);

/**
 * The API's REQUEST authorizer: verifies `Authorization: Bearer <JWT>` before any handler runs.
 * A missing, malformed or invalid token is a 401 ("Unauthorized"); when the issuer's keys cannot
 * be read the authorizer fails (API Gateway answers 500, and no verdict is cached); a verified one is let
 * into every method of the stage (the result is cached per token), with its subject and the
 * orgs and sandboxes its claims grant. Which of those the request uses is decided by the
 * handlers, from the tenant headers, within these grants only.
 */
export const handler = withPowertools(
  async (event: APIGatewayRequestAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
    logger.appendKeys({ requestId: event.requestContext?.requestId });
    const header = Object.entries(event.headers ?? {}).find(([name]) => name.toLowerCase() === 'authorization')?.[1];
    const token = /^Bearer\s+(\S+)$/i.exec(header ?? '')?.[1];
    if (!token) throw new Error('Unauthorized');
    let claims;
    try {
      claims = await verifier.verify(token);
    } catch (error) {
      if (!isTokenRejection(error)) {
        // API Gateway answers 500: the client may retry; a 401 would tell it its token is bad.
        logger.error('The token could not be verified', error as Error);
        throw new Error('The issuer keys could not be read');
      }
      logger.info('Token refused', { reason: (error as Error).message });
      throw new Error('Unauthorized');
    }
    const subject = String(claims.sub ?? 'unknown');
    const [arn, stage] = event.methodArn.split('/');
    return {
      principalId: subject,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: `${arn}/${stage}/*/*` }],
      },
      context: { ...toAuthorizerContext(subject, grantsFromClaims(claims, orgsClaim, sandboxesClaim)) },
    };
  },
);
