import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { readLocalStack } from '../../local/data-directory';
import { startLocalStack, type CloudAssemblyStack } from '../../local/local-stack';

jest.setTimeout(120_000);

/** A function that writes the note it is given into the table its environment names, and reads it back. */
const HANDLER = `
const { DynamoDBClient, PutItemCommand, GetItemCommand } = require('@aws-sdk/client-dynamodb');
const client = new DynamoDBClient({});
exports.handler = async (event) => {
  const TableName = process.env.NOTES_TABLE;
  const Key = { id: { S: event.pathParameters.id } };
  await client.send(new PutItemCommand({ TableName, Item: { ...Key, text: { S: event.body } } }));
  const { Item } = await client.send(new GetItemCommand({ TableName, Key }));
  return { statusCode: 201, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ table: TableName, text: Item.text.S }) };
};
`;

/**
 * A small cloud assembly written by hand, unrelated to the service: a table, a function that
 * uses it and a REST API route in front of the function.
 */
function notesAssembly(directory: string): CloudAssemblyStack {
  fs.mkdirSync(path.join(directory, 'asset.notes'), { recursive: true });
  fs.writeFileSync(path.join(directory, 'asset.notes', 'index.js'), HANDLER);
  const template = {
    Resources: {
      Notes: {
        Type: 'AWS::DynamoDB::Table',
        Properties: {
          KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
          AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
          BillingMode: 'PAY_PER_REQUEST',
        },
      },
      PutNote: {
        Type: 'AWS::Lambda::Function',
        Metadata: { 'aws:asset:path': 'asset.notes' },
        Properties: {
          Handler: 'index.handler',
          Runtime: 'nodejs20.x',
          Timeout: 10,
          Environment: { Variables: { NOTES_TABLE: { Ref: 'Notes' } } },
        },
      },
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'notes' } },
      NotesResource: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ParentId: { 'Fn::GetAtt': ['Api', 'RootResourceId'] },
          PathPart: 'notes',
        },
      },
      NoteResource: {
        Type: 'AWS::ApiGateway::Resource',
        Properties: { RestApiId: { Ref: 'Api' }, ParentId: { Ref: 'NotesResource' }, PathPart: '{id}' },
      },
      PutNoteMethod: {
        Type: 'AWS::ApiGateway::Method',
        Properties: {
          RestApiId: { Ref: 'Api' },
          ResourceId: { Ref: 'NoteResource' },
          HttpMethod: 'PUT',
          AuthorizationType: 'NONE',
          Integration: {
            Type: 'AWS_PROXY',
            IntegrationHttpMethod: 'POST',
            Uri: {
              'Fn::Join': [
                '',
                [
                  'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/',
                  { 'Fn::GetAtt': ['PutNote', 'Arn'] },
                  '/invocations',
                ],
              ],
            },
          },
        },
      },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { RestApiId: { Ref: 'Api' }, StageName: 'dev' } },
    },
  };
  const templateFile = path.join(directory, 'Notes.template.json');
  fs.writeFileSync(templateFile, JSON.stringify(template));
  return { templateFile, stackName: 'Notes' };
}

describe('startLocalStack (a synthesized stack on this machine)', () => {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'local-runtime-'));
  const devIssuer = { issuer: 'https://issuer.notes.local', audience: 'notes' };
  afterAll(() => fs.rmSync(directory, { recursive: true, force: true }));

  it('GIVEN a hand-written template of another app WHEN started THEN its route runs its function against its table, and the description names what was asked for', async () => {
    const dataDirectory = path.join(directory, 'data');
    const stack = await startLocalStack({
      assembly: notesAssembly(path.join(directory, 'assembly')),
      devIssuer,
      resources: { notes: 'NOTES_TABLE' },
      port: 0,
      inMemory: true,
      dataDirectory,
      functionLogs: () => undefined,
    });
    try {
      // The API is under its stage, as on the execute-api URL.
      expect(stack.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev$/);
      const response = await fetch(`${stack.url}/notes/n1`, { method: 'PUT', body: 'hello' });
      expect({ status: response.status, body: await response.json() }).toEqual({
        status: 201,
        body: { table: 'Notes', text: 'hello' },
      });
      expect(stack.resources).toEqual({ notes: 'Notes' });
      expect(readLocalStack(dataDirectory)).toEqual({
        url: stack.url,
        controlUrl: `${new URL(stack.url).origin}/__local`,
        adminToken: stack.adminToken,
        dynamoDbEndpoint: stack.dynamoDbEndpoint,
        s3Endpoint: stack.s3Endpoint,
        stepFunctionsEndpoint: stack.stepFunctionsEndpoint,
        resources: { notes: 'Notes' },
        devIssuerDirectory: path.join(dataDirectory, 'dev-issuer'),
        apiKeys: {},
      });
    } finally {
      await stack.stop();
    }
  });

  it('GIVEN a synthesis hook WHEN started THEN the hook gets the dev issuer’s JWKS URI (served) and the assembly folder, before the template is read', async () => {
    const dataDirectory = path.join(directory, 'hooked');
    const seen: Array<{ devIssuerJwksUri: string; assemblyDirectory: string; jwks: { keys: unknown[] } }> = [];
    const stack = await startLocalStack({
      assembly: async (context) => {
        const jwks = (await (await fetch(context.devIssuerJwksUri)).json()) as { keys: unknown[] };
        seen.push({ ...context, jwks });
        return notesAssembly(context.assemblyDirectory);
      },
      devIssuer,
      port: 0,
      inMemory: true,
      dataDirectory,
      functionLogs: () => undefined,
    });
    try {
      expect(seen).toEqual([
        {
          devIssuerJwksUri: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+\/\.well-known\/jwks\.json$/),
          assemblyDirectory: path.join(dataDirectory, 'cdk.out'),
          jwks: { keys: [expect.objectContaining({ kty: 'RSA', alg: 'RS256', kid: stack.devIssuer.keyId })] },
        },
      ]);
      expect((await fetch(`${stack.url}/notes/n2`, { method: 'PUT', body: 'hooked' })).status).toBe(201);
      // The control paths refuse a caller without the admin token, and one with a wrong one.
      const faults = `${stack.controlUrl}/faults`;
      const fault = JSON.stringify({ function: 'Notes', count: 1, when: 'before', errorType: 'E', errorMessage: 'm' });
      const anonymous = await fetch(faults, { method: 'POST', body: fault });
      expect(anonymous.status).toBe(401);
      const wrong = { authorization: 'Bearer not-the-token' };
      expect((await fetch(faults, { method: 'POST', body: fault, headers: wrong })).status).toBe(403);
      expect((await fetch(`${stack.controlUrl}/events`)).status).toBe(401);
      const admin = { authorization: `Bearer ${stack.adminToken}` };
      expect(await (await fetch(faults, { headers: admin })).json()).toEqual([]);
      const token = await stack.devIssuer.mint({ orgs: ['o'], sandboxes: ['s'] });
      const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
      expect(claims).toMatchObject({ iss: devIssuer.issuer, aud: devIssuer.audience });
    } finally {
      await stack.stop();
    }
  });

  it('GIVEN a resource named by a variable no function gets WHEN started THEN it fails saying which, before starting any emulator', async () => {
    const dataDirectory = path.join(directory, 'wrong');
    await expect(
      startLocalStack({
        assembly: notesAssembly(path.join(directory, 'assembly')),
        devIssuer,
        resources: { notes: 'NOTES_TABLE', jobs: 'JOB_TABLE_NAME' },
        port: 0,
        inMemory: true,
        dataDirectory,
        functionLogs: () => undefined,
      }),
    ).rejects.toThrow("No function of Notes is given JOB_TABLE_NAME (asked for as resource 'jobs')");
    expect(fs.readdirSync(dataDirectory).sort()).toEqual(['dev-issuer', 'logs']);
  });
});
