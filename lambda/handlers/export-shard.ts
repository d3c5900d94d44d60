import type { Context } from 'aws-lambda';
import { partStore, profileShardSource, segmentDefinitions } from '../adapters/export-workflow-dependencies';
import { jobStore } from '../adapters/job-store';
import { ENVIRONMENT } from '../contract/environment';
import { WORKFLOW_STATES, type ShardTask, type ShardTaskResult } from '../contract/workflow';
import { exportShardStep } from '../domain/export/export-shard-step';
import { jobRefOf } from '../domain/ports';
import { logger } from '../observability/powertools';
import { workflowHandler } from '../workflow/workflow-handler';

/** Time kept in hand when the function's own timeout nears: finishing the part files. */
const SAFETY_MARGIN_MS = 30_000;

const source = profileShardSource();
const parts = partStore();
const definitions = segmentDefinitions();
/** How long one invocation works before handing its cursor back to the workflow. */
const budgetMs = Number(process.env[ENVIRONMENT.exportInvocationBudgetMs] ?? 600_000);

/**
 * Step "ExportShardPage": exports a shard from its cursor for at most the invocation budget,
 * stopping at a page boundary, so a shard of any size finishes over as many invocations as it
 * needs.
 */
export const handler = workflowHandler(
  WORKFLOW_STATES.exportShardPage,
  async (task: ShardTask, context: Context): Promise<ShardTaskResult> => {
    const started = Date.now();
    const shouldStop = () => Date.now() - started >= budgetMs || context.getRemainingTimeInMillis() < SAFETY_MARGIN_MS;
    const { parts: written, ...next } = await exportShardStep(
      {
        source,
        parts,
        progress: jobStore.progressOf(jobRefOf(task.job), () => Date.now()),
        ...(definitions && { definitions }),
      },
      task,
      shouldStop,
    );
    logger.info('Shard step done', {
      shard: task.shard,
      sequence: task.sequence,
      done: next.done,
      records: written.reduce((sum, part) => sum + part.records, 0),
      parts: written.length,
    });
    return next;
  },
);
