import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';

/**
 * Powertools instances, one per execution environment. The service name, namespace and log
 * level come from POWERTOOLS_* variables the construct sets.
 */
export const logger = new Logger();
export const metrics = new Metrics();
export const tracer = new Tracer();
