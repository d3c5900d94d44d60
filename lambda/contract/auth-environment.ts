/** How the construct configures the authorizer: the names of its environment variables. */
export const AUTH_ENVIRONMENT = {
  issuerKind: 'TOKEN_ISSUER_KIND',
  userPoolId: 'COGNITO_USER_POOL_ID',
  clientIds: 'COGNITO_CLIENT_IDS',
  issuer: 'OIDC_ISSUER',
  jwksUri: 'OIDC_JWKS_URI',
  audiences: 'OIDC_AUDIENCES',
  tokenUse: 'TOKEN_USE',
  orgsClaim: 'ORGS_CLAIM',
  sandboxesClaim: 'SANDBOXES_CLAIM',
} as const;
