import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { logger, withPowertools } from '../observability/powertools';
import { toHttpRequest, type HttpRequest } from './http-request';
import { errorResponse } from './problems';

export type HttpOperation = (request: HttpRequest, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps an operation as a Lambda handler for API Gateway proxy events, with Powertools'
 * middleware: the request id and operation go into every log line, and errors become
 * application/problem+json (a 500 reveals nothing but the request id).
 */
export function httpHandler(operationId: string, operation: HttpOperation) {
  return withPowertools(async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const request = toHttpRequest(event);
    logger.appendKeys({ requestId: request.requestId, operation: operationId });
    try {
      const response = await operation(request, context);
      logger.info('Request handled', { statusCode: response.statusCode });
      return response;
    } catch (error) {
      const response = errorResponse(error, request.requestId);
      if (response.statusCode >= 500) logger.error('Request failed', error as Error);
      else logger.info('Request refused', { statusCode: response.statusCode, problem: (error as Error).message });
      return response;
    }
  });
}
