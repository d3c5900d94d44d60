import type { APIGatewayProxyResult } from 'aws-lambda';
import { PROBLEM_CONTENT_TYPE, type Problem } from '../contract/problem';

const COMMON_HEADERS = { 'cache-control': 'no-store' };

export function json(statusCode: number, body: unknown): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { ...COMMON_HEADERS, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  };
}

export function noContent(): APIGatewayProxyResult {
  return { statusCode: 204, headers: { ...COMMON_HEADERS }, body: '' };
}

export function problem(body: Problem, headers: Record<string, string> = {}): APIGatewayProxyResult {
  return {
    statusCode: body.status,
    headers: { ...COMMON_HEADERS, ...headers, 'content-type': PROBLEM_CONTENT_TYPE },
    body: JSON.stringify(body),
  };
}

/** 307 Temporary Redirect: the client repeats its GET at `location` (a presigned URL, never cached). */
export function redirect(location: string): APIGatewayProxyResult {
  return { statusCode: 307, headers: { ...COMMON_HEADERS, location }, body: '' };
}
