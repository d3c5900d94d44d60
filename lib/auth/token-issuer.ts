import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cognito from 'aws-cdk-lib/aws-cognito';
import { Construct } from 'constructs';
import { AUTH_ENVIRONMENT } from '../../lambda/contract/environment';
import { acknowledge } from '../acknowledgements';

export interface CognitoTokenIssuerOptions {
  /**
   * The user pool whose tokens are accepted.
   * @default - a new user pool: no self sign-up, strong passwords, MFA (TOTP) required, and the
   * custom attributes `orgs` and `sandboxes`, which only administrators can write
   */
  readonly userPool?: cognito.IUserPool;
  /**
   * The app clients whose tokens are accepted (their ids are checked).
   * @default - a new app client of the user pool (required when `userPool` is given)
   */
  readonly userPoolClients?: cognito.IUserPoolClient[];
  /**
   * Which tokens are accepted: 'id' or 'access'. Cognito puts custom attributes (the tenant
   * grants) into ID tokens; use 'access' with a pre-token-generation trigger that adds them.
   * @default 'id'
   */
  readonly tokenUse?: string;
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

export interface OidcTokenIssuerOptions {
  /** The issuer (`iss`) of the tokens. */
  readonly issuer: string;
  /** Where the issuer publishes its signing keys (HTTPS, except on loopback for development). */
  readonly jwksUri: string;
  /** Accepted audiences (`aud`). */
  readonly audiences: string[];
  /**
   * The value the `token_use` claim must have.
   * @default 'access'
   */
  readonly tokenUse?: string;
}

/** What a token issuer gives the authorizer. */
export interface TokenIssuerConfig {
  /** Environment variables of the authorizer function. */
  readonly environment: Record<string, string>;
  /** The claim that lists the organisations, unless the service is told another. */
  readonly defaultOrgsClaim: string;
  /** The claim that lists the sandboxes, unless the service is told another. */
  readonly defaultSandboxesClaim: string;
  /** The user pool, when the issuer is Cognito. */
  readonly userPool?: cognito.IUserPool;
  /** The app client created with a new user pool. */
  readonly userPoolClient?: cognito.IUserPoolClient;
}

/**
 * Who issues the bearer tokens the API accepts: a Cognito user pool or any OIDC issuer. Tokens
 * are verified with aws-jwt-verify: signature against the issuer's keys, `exp`, `nbf`, issuer,
 * audience (or Cognito client id) and token use.
 */
export abstract class TokenIssuer {
  /** A Cognito user pool (by default a new one). */
  public static cognito(options: CognitoTokenIssuerOptions = {}): TokenIssuer {
    return new CognitoTokenIssuer(options);
  }

  /** Any OpenID Connect issuer, by its JWKS URI and audiences. */
  public static oidc(options: OidcTokenIssuerOptions): TokenIssuer {
    return new OidcTokenIssuer(options);
  }

  /** Creates what the issuer needs in `scope` and returns the authorizer's configuration. */
  public abstract bind(scope: Construct): TokenIssuerConfig;
}

class CognitoTokenIssuer extends TokenIssuer {
  constructor(private readonly options: CognitoTokenIssuerOptions) {
    super();
  }

  bind(scope: Construct): TokenIssuerConfig {
    const tokenUse = this.options.tokenUse ?? 'id';
    if (tokenUse !== 'id' && tokenUse !== 'access')
      throw new Error(`tokenUse must be 'id' or 'access', got '${tokenUse}'`);
    if (this.options.userPool && !this.options.userPoolClients?.length) {
      throw new Error('TokenIssuer.cognito: give the userPoolClients whose tokens are accepted along with userPool');
    }
    const userPool = this.options.userPool ?? newUserPool(scope, this.options.removalPolicy ?? RemovalPolicy.RETAIN);
    const clients = this.options.userPoolClients ?? [
      (userPool as cognito.UserPool).addClient('AppClient', {
        authFlows: { userSrp: true },
        generateSecret: false,
        preventUserExistenceErrors: true,
        idTokenValidity: Duration.hours(1),
        accessTokenValidity: Duration.hours(1),
        readAttributes: new cognito.ClientAttributes()
          .withStandardAttributes({ email: true })
          .withCustomAttributes('orgs', 'sandboxes'),
        // Users must never grant themselves tenants: the custom attributes are admin-only.
        writeAttributes: new cognito.ClientAttributes().withStandardAttributes({ email: true }),
      }),
    ];
    return {
      environment: {
        [AUTH_ENVIRONMENT.issuerKind]: 'cognito',
        [AUTH_ENVIRONMENT.userPoolId]: userPool.userPoolId,
        [AUTH_ENVIRONMENT.clientIds]: clients.map((client) => client.userPoolClientId).join(','),
        [AUTH_ENVIRONMENT.tokenUse]: tokenUse,
      },
      defaultOrgsClaim: 'custom:orgs',
      defaultSandboxesClaim: 'custom:sandboxes',
      userPool,
      ...(!this.options.userPoolClients && { userPoolClient: clients[0] }),
    };
  }
}

function newUserPool(scope: Construct, removalPolicy: RemovalPolicy): cognito.UserPool {
  const userPool = new cognito.UserPool(scope, 'UserPool', {
    selfSignUpEnabled: false,
    signInAliases: { email: true },
    mfa: cognito.Mfa.REQUIRED,
    mfaSecondFactor: { otp: true, sms: false },
    passwordPolicy: {
      minLength: 12,
      requireLowercase: true,
      requireUppercase: true,
      requireDigits: true,
      requireSymbols: true,
      tempPasswordValidity: Duration.days(3),
    },
    accountRecovery: cognito.AccountRecovery.EMAIL_ONLY,
    customAttributes: {
      orgs: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }),
      sandboxes: new cognito.StringAttribute({ mutable: true, maxLen: 2048 }),
    },
    removalPolicy,
  });
  const plusPlan =
    "Threat protection needs Cognito's Plus feature plan, priced per user; enable it on the pool (or bring your own pool) where required.";
  acknowledge(userPool, 'AwsSolutions-COG3', plusPlan);
  acknowledge(userPool, 'AwsSolutions-COG8', plusPlan);
  return userPool;
}

class OidcTokenIssuer extends TokenIssuer {
  constructor(private readonly options: OidcTokenIssuerOptions) {
    super();
  }

  bind(scope: Construct): TokenIssuerConfig {
    const { issuer, jwksUri, audiences } = this.options;
    const problems: string[] = [];
    if (!issuer) problems.push('issuer must not be empty');
    const loopback = /^http:\/\/(127\.0\.0\.1|localhost|\[::1\])(:\d+)?\//.test(jwksUri);
    if (
      !jwksUri.startsWith('https://') &&
      !loopback &&
      !Stack.of(scope).resolve(jwksUri).toString().startsWith('https://')
    ) {
      problems.push(`jwksUri must be an https:// URL (http only on loopback, for development), got '${jwksUri}'`);
    }
    if (audiences.length === 0) problems.push('audiences must list at least one audience');
    if (problems.length > 0) throw new Error(`Invalid TokenIssuer.oidc options: ${problems.join('; ')}`);
    return {
      environment: {
        [AUTH_ENVIRONMENT.issuerKind]: 'oidc',
        [AUTH_ENVIRONMENT.issuer]: issuer,
        [AUTH_ENVIRONMENT.jwksUri]: jwksUri,
        [AUTH_ENVIRONMENT.audiences]: audiences.join(','),
        [AUTH_ENVIRONMENT.tokenUse]: this.options.tokenUse ?? 'access',
      },
      defaultOrgsClaim: 'orgs',
      defaultSandboxesClaim: 'sandboxes',
    };
  }
}
