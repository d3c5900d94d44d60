import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { errorResponse } from './problems';
import { toHttpRequest, type HttpRequest } from './http-request';
import { logger, metrics } from './observability';

export type HttpOperation = (request: HttpRequest, context: Context) => Promise<APIGatewayProxyResult>;

/**
 * Wraps an operation as a Lambda handler for API Gateway proxy events: the request id goes
 * into every log line, errors become application/problem+json, and stored metrics are flushed.
 */
export function httpHandler(operationId: string, operation: HttpOperation) {
  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const request = toHttpRequest(event);
    logger.addContext(context);
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
    } finally {
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
      logger.resetKeys();
    }
  };
}
