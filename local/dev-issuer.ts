import * as fs from 'node:fs';
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { SignJWT, exportJWK, exportPKCS8, generateKeyPair, importPKCS8, type KeyLike } from 'jose';

const ALGORITHM = 'RS256';

/** Who the development issuer says it is: the `iss` and `aud` of its tokens (the template's authorizer must expect them). */
export interface DevIssuerIdentity {
  readonly issuer: string;
  readonly audience: string;
}

export interface DevTokenClaims {
  readonly orgs: readonly string[];
  readonly sandboxes: readonly string[];
  readonly subject?: string;
  /** Lifetime in seconds (negative: already expired). @default 3600 */
  readonly ttlSeconds?: number;
  /** Seconds from now before which the token is not valid. @default 0 */
  readonly notBeforeSeconds?: number;
  /** @default the issuer's own (DevIssuerIdentity.issuer) */
  readonly issuer?: string;
  /** @default the issuer's own (DevIssuerIdentity.audience) */
  readonly audience?: string;
  /** @default 'access' */
  readonly tokenUse?: string;
}

/**
 * The development token issuer of the local stack: an RSA key pair kept in the data folder (so
 * tokens survive a restart), its JWKS served on localhost for the authorizer to fetch, exactly
 * as it fetches a real issuer's, and tokens minted with jose for any org and sandbox.
 */
export class DevIssuer {
  private server?: http.Server;

  private constructor(
    private readonly privateKey: KeyLike,
    private readonly jwks: { keys: object[] },
    readonly keyId: string,
    readonly identity: DevIssuerIdentity,
  ) {}

  /** Loads the key pair of `directory`, creating it the first time; tokens carry `identity`. */
  static async load(directory: string, identity: DevIssuerIdentity): Promise<DevIssuer> {
    fs.mkdirSync(directory, { recursive: true });
    const keyFile = path.join(directory, 'private-key.pem');
    if (!fs.existsSync(keyFile)) {
      const { privateKey } = await generateKeyPair(ALGORITHM, { modulusLength: 2048, extractable: true });
      fs.writeFileSync(keyFile, await exportPKCS8(privateKey), { mode: 0o600 });
    }
    const privateKey = await importPKCS8(fs.readFileSync(keyFile, 'utf8'), ALGORITHM, { extractable: true });
    const publicJwk = await exportJWK(privateKey);
    // The public half only: n and e.
    const { d: _d, p: _p, q: _q, dp: _dp, dq: _dq, qi: _qi, ...publicPart } = publicJwk;
    const keyId = `dev-${String(publicJwk.n).slice(0, 16)}`;
    return new DevIssuer(
      privateKey,
      { keys: [{ ...publicPart, kid: keyId, alg: ALGORITHM, use: 'sig' }] },
      keyId,
      identity,
    );
  }

  /** Serves the JWKS on a free port; returns its URI. */
  async listen(): Promise<string> {
    this.server = http.createServer((request, response) => {
      if (request.url === '/.well-known/jwks.json') {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify(this.jwks));
      } else {
        response.writeHead(404).end();
      }
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/.well-known/jwks.json`;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((resolve) => this.server!.close(resolve));
  }

  /** An access token of the development issuer granting `claims.orgs` × `claims.sandboxes`. */
  mint(claims: DevTokenClaims): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    return new SignJWT({
      token_use: claims.tokenUse ?? 'access',
      orgs: [...claims.orgs],
      sandboxes: [...claims.sandboxes],
    })
      .setProtectedHeader({ alg: ALGORITHM, kid: this.keyId, typ: 'JWT' })
      .setIssuer(claims.issuer ?? this.identity.issuer)
      .setAudience(claims.audience ?? this.identity.audience)
      .setSubject(claims.subject ?? `dev-user-${claims.orgs.join('+')}`)
      .setIssuedAt(now)
      .setNotBefore(now + (claims.notBeforeSeconds ?? 0))
      .setExpirationTime(now + (claims.ttlSeconds ?? 3600))
      .sign(this.privateKey);
  }
}
