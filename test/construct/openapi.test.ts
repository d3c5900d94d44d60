import SwaggerParser from '@apidevtools/swagger-parser';
import * as fs from 'node:fs';
import * as os from 'node:os';
import { COMMON_HEADERS, OPERATIONS } from '../../lambda/contract/operations';
import { readRestApi } from '../../local/api-gateway/rest-api-definition';
import { CloudFormationTemplate } from '../../local/cloudformation-template';
import { buildOpenApiDocument } from '../../lib/openapi-document';
import { OPENAPI_FILE, renderOpenApi } from '../../scripts/write-openapi';
import { synthService } from './support/synth';

type Json = Record<string, any>;

function synthesizedApi(basePath?: string) {
  const { template } = synthService(basePath === undefined ? {} : { basePath });
  return readRestApi(new CloudFormationTemplate(template.toJSON() as never, 'TestStack', os.tmpdir()));
}

describe('OpenAPI document', () => {
  const document = buildOpenApiDocument('test') as Json;

  it('is the committed docs/openapi.json (regenerate with `npm run openapi`)', () => {
    expect(fs.readFileSync(OPENAPI_FILE, 'utf8')).toBe(renderOpenApi());
  });

  it('has exactly the routes API Gateway serves, with the same operation names', () => {
    const api = synthesizedApi();
    const gatewayRoutes = api.methods.map(
      (method) => `${method.httpMethod} ${method.resourcePath} ${method.operationName}`,
    );
    const documentRoutes = Object.entries(document.paths as Json).flatMap(([path, item]) =>
      Object.entries(item as Json).map(
        ([method, operation]) => `${method.toUpperCase()} ${path} ${operation.operationId}`,
      ),
    );
    expect(documentRoutes.sort()).toEqual(gatewayRoutes.sort());
  });

  it("GIVEN basePath '/data/core/ups' THEN the document's paths are the routes API Gateway serves under it", () => {
    const api = synthesizedApi('/data/core/ups');
    const mounted = buildOpenApiDocument('test', '/data/core/ups') as Json;
    const gatewayRoutes = api.methods.map((method) => `${method.httpMethod} ${method.resourcePath}`);
    const documentRoutes = Object.entries(mounted.paths as Json).flatMap(([path, item]) =>
      Object.keys(item as Json).map((method) => `${method.toUpperCase()} ${path}`),
    );
    expect(documentRoutes.sort()).toEqual(gatewayRoutes.sort());
    expect(Object.keys(mounted.paths)).toContain('/data/core/ups/export/jobs');
  });

  it('declares the same parameters as the API Gateway methods', () => {
    const api = synthesizedApi();
    for (const method of api.methods) {
      const operation = document.paths[method.resourcePath][method.httpMethod.toLowerCase()];
      const location: Record<string, string> = { path: 'path', query: 'querystring', header: 'header' };
      const documented = operation.parameters.map((p: Json) => `method.request.${location[p.in]}.${p.name}`);
      expect(documented.sort()).toEqual(Object.keys(method.requestParameters).sort());
    }
  });

  it('describes the POST body with the schema of the API Gateway model', () => {
    const api = synthesizedApi();
    const post = api.methods.find((method) => method.httpMethod === 'POST')!;
    const { $schema: _dialect, ...model } = post.requestModels['application/json'];
    const reference = document.paths['/export/jobs'].post.requestBody.content['application/json'].schema.$ref as string;
    expect(document.components.schemas[reference.split('/').pop()!]).toEqual(model);
  });

  it('documents the tenant headers as required on every operation and every error as a problem', () => {
    for (const operation of OPERATIONS) {
      const documented = document.paths[operation.path][operation.method.toLowerCase()];
      for (const header of COMMON_HEADERS) {
        expect(documented.parameters).toContainEqual(
          expect.objectContaining({ name: header, in: 'header', required: true }),
        );
      }
      for (const [status, response] of Object.entries(documented.responses as Json)) {
        if (Number(status) >= 400) {
          expect(response.content['application/problem+json'].schema.$ref).toBe('#/components/schemas/Problem');
        }
      }
    }
  });
});

describe('OpenAPI document validity', () => {
  it('is a valid OpenAPI 3.0 document', async () => {
    const document = JSON.parse(fs.readFileSync(OPENAPI_FILE, 'utf8'));
    await expect(SwaggerParser.validate(document as never)).resolves.toMatchObject({ openapi: '3.0.3' });
  });
});
