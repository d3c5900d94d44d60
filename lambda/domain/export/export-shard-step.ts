import type { ShardTask, ShardTaskResult } from '../../contract/workflow';
import { batchPrefix, partFileName } from '../../contract/batch-layout';
import { SegmentDefinitionChangedError } from '../errors';
import { mergeStoredProfile } from '../merge/merge-fragments';
import { compileExportPlan, exportRecord, namespacesOf, targetsOf } from './export-plan';
import type { SegmentDefinitionRepository } from '../config/ports';
import { jobSegmentDefinitions } from './job-segment-definitions';
import type { ExportProgress, PartStore, PartSummary, PartWriter, ProfileShardSource } from './ports';
import { compileSegmentEvaluation, type SegmentEvaluation } from './segment-evaluation';

export interface ExportShardDependencies {
  readonly source: ProfileShardSource;
  readonly parts: PartStore;
  readonly progress: ExportProgress;
  /** The tenant's segment definitions, read by a job that evaluates segments at export. */
  readonly definitions?: Pick<SegmentDefinitionRepository, 'get'>;
}

interface OpenPart {
  readonly writer: PartWriter;
  readonly key: string;
  readonly fileName: string;
  records: number;
  readonly namespaces: Record<string, number>;
}

/**
 * One invocation's worth of a shard: reads pages from the shard's cursor, merges each profile's
 * fragments by the job's merge policy, writes each matching profile to the part file of every
 * batch it belongs to, and stops at a page boundary when `shouldStop` says the invocation's
 * time is up. The part files are named by shard and
 * sequence, so a retry of this step (same input) overwrites exactly what the failed attempt
 * wrote. Returns the task for the next step, `done` once the shard is exhausted.
 */
export async function exportShardStep(
  dependencies: ExportShardDependencies,
  task: ShardTask,
  shouldStop: () => boolean,
): Promise<ShardTaskResult & { parts: PartSummary[] }> {
  const plan = compileExportPlan(task.job);
  const tenant = { orgId: task.job.imsOrgId, sandboxName: task.job.sandboxName };
  const fileName = partFileName(task.shard, task.sequence, plan.layout.format);
  const open = new Map<string, OpenPart>();
  let cursor = task.cursor;
  // The shard is done unless this invocation stops early: a source that ends without saying
  // so must not make the workflow loop for ever.
  let done = true;
  const evaluation = await segmentEvaluationOf(dependencies, task);
  try {
    for await (const page of dependencies.source.pages(tenant, task.shard, {
      after: task.cursor,
      // Definitions over events see all of them; eventList keeps only its window (exportRecord).
      events: evaluation?.usesEvents ? {} : plan.events?.window,
      select: plan.selection,
    })) {
      for (const entry of page.entries) {
        // Merged before anything else sees it: the filter, the projection and the writers see
        // the profile the job's merge policy makes of its fragments.
        const merged = mergeStoredProfile(entry.profile, plan.attributeMerge);
        const { events } = entry;
        // The one hook of evaluation: the filter and the projection see the evaluated memberships.
        const profile = evaluation ? evaluation.apply(merged, events) : merged;
        const targets = targetsOf(plan, profile);
        if (targets.length === 0) continue;
        const record = exportRecord(plan, profile, events);
        const namespaces = namespacesOf(profile);
        for (const target of targets) {
          let part = open.get(target.batchId);
          if (!part) {
            const key = `${batchPrefix(tenant, task.job.destination.datasetId, target.batchId)}${fileName}`;
            part = { writer: dependencies.parts.open(key, plan.layout), key, fileName, records: 0, namespaces: {} };
            open.set(target.batchId, part);
          }
          await part.writer.write(record);
          part.records += 1;
          for (const namespace of namespaces) part.namespaces[namespace] = (part.namespaces[namespace] ?? 0) + 1;
        }
      }
      cursor = page.lastProfileId ?? cursor;
      if (!page.hasMore) break;
      if (shouldStop()) {
        done = false;
        break;
      }
    }
  } catch (error) {
    await Promise.all([...open.values()].map((part) => part.writer.abort().catch(() => undefined)));
    throw error;
  }

  const parts: PartSummary[] = [];
  for (const [batchId, part] of open) {
    const { bytes, sha256 } = await part.writer.finish();
    const summary = {
      batchId,
      key: part.key,
      fileName: part.fileName,
      records: part.records,
      bytes,
      sha256,
      namespaces: part.namespaces,
    };
    if (!(await dependencies.progress.recordPart(summary))) {
      // The job ended while this part was written: its partial output was (or is being)
      // discarded, by a listing that may have missed this file. Delete it here.
      await dependencies.parts.discard(part.key);
      continue;
    }
    parts.push(summary);
  }
  return { ...task, ...(cursor !== undefined && { cursor }), sequence: task.sequence + 1, done, parts };
}

/** The job's segment evaluation at the export's one instant, when it evaluates segments. */
async function segmentEvaluationOf(
  dependencies: ExportShardDependencies,
  task: ShardTask,
): Promise<SegmentEvaluation | undefined> {
  if (task.job.evaluationInfo?.segmentation !== true) return undefined;
  if (!dependencies.definitions) {
    throw new SegmentDefinitionChangedError(
      'This export worker has no segment definitions to read (the workflow was deployed without the config table).',
    );
  }
  const tenant = { orgId: task.job.imsOrgId, sandboxName: task.job.sandboxName };
  const segments = await jobSegmentDefinitions(dependencies.definitions, tenant, task.job);
  return compileSegmentEvaluation(segments, task.evaluatedAt ?? task.job.creationTime);
}
