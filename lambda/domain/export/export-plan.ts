import { FORMAT_OF_JOBS_WITHOUT_ONE } from '../../contract/file-format';
import { exportColumns } from '../../contract/parquet-columns';
import type { MergedStoredProfile, StoredEvent } from '../../contract/profile-store';
import type { ExportJobSpec } from '../../contract/workflow';
import { KNOWN_XDM_SCHEMAS } from '../../contract/xdm-schemas';
import { parseFieldList } from '../field-paths';
import { TIMESTAMP_ORDERED, type AttributeMerge } from '../merge/merge-fragments';
import { batchTargets, type BatchTarget } from './batch-targets';
import type { ExportRecord, PartLayout } from './ports';
import { compileFilter, type CompiledFilter } from './profile-filter';
import { compileProjection, type Projection } from './projection';
import { readSelection, type ReadSelection } from './read-selection';

export interface EventWindow {
  /** Events ingested strictly after this instant (epoch ms), when given. */
  readonly after?: number;
  /** Events ingested strictly before this instant (epoch ms), when given. */
  readonly before?: number;
}

/** A job compiled once per worker invocation: predicates, projections and batch targets. */
export interface ExportPlan {
  /** How each profile's fragments are merged: the policy the job recorded at creation. */
  readonly attributeMerge: AttributeMerge;
  readonly filter: CompiledFilter;
  readonly projectProfile: Projection;
  /** Set when the job attaches each profile's events (additionalFields.eventList). */
  readonly events?: { readonly window: EventWindow; readonly project: Projection };
  readonly targets: readonly BatchTarget[];
  /** Which profiles of a shard need reading (a superset of what the filter accepts). */
  readonly selection: ReadSelection;
  /** The part files' format, and their columns when they are Parquet. */
  readonly layout: PartLayout;
}

export function compileExportPlan(job: ExportJobSpec): ExportPlan {
  const eventList = job.additionalFields?.eventList;
  const fields = parseFieldList(job.fields ?? '', '').paths;
  const eventFields = eventList && parseFieldList(eventList.fields ?? '', '').paths;
  return {
    attributeMerge: job.attributeMerge ?? TIMESTAMP_ORDERED,
    filter: compileFilter(job.filter),
    projectProfile: compileProjection(fields),
    ...(eventList && {
      events: {
        window: {
          ...(eventList.filter.fromIngestTimestamp && { after: Date.parse(eventList.filter.fromIngestTimestamp) }),
          ...(eventList.filter.toIngestTimestamp && { before: Date.parse(eventList.filter.toIngestTimestamp) }),
        },
        project: compileProjection(eventFields ?? []),
      },
    }),
    targets: batchTargets(job.destination),
    selection: readSelection(job.filter, job.evaluationInfo?.segmentation === true),
    layout: partLayout(job, { fields, ...(eventFields && { eventFields }) }),
  };
}

/** Parquet with the columns of the job's schema, projected as its records are; or JSON Lines. */
function partLayout(job: ExportJobSpec, projection: Parameters<typeof exportColumns>[1]): PartLayout {
  if ((job.destination.format ?? FORMAT_OF_JOBS_WITHOUT_ONE) === 'json') return { format: 'json' };
  const schema = KNOWN_XDM_SCHEMAS.find((known) => known.exportName === job.schema.name);
  // The API accepts a Parquet job only for a dataset of a known schema, whose name it carries.
  if (!schema) throw new Error(`No known XDM schema is exported as ${JSON.stringify(job.schema.name)}`);
  return { format: 'parquet', columns: exportColumns(schema, projection) };
}

/** The batches a profile is exported to: none when it does not match the filter. */
export function targetsOf(plan: ExportPlan, profile: MergedStoredProfile): BatchTarget[] {
  if (!plan.filter.accepts(profile)) return [];
  const segments = plan.filter.matchingSegments(profile);
  if (segments.length === 0) return [];
  return plan.targets.filter((target) => target.segmentIndex === undefined || segments.includes(target.segmentIndex));
}

export function isInWindow(window: EventWindow, ingestTime: number): boolean {
  return (
    (window.after === undefined || ingestTime > window.after) &&
    (window.before === undefined || ingestTime < window.before)
  );
}

/**
 * One exported profile: its projected fields, plus `eventList` (its events in the ingest-time
 * window, oldest first, projected) when the job asks for events.
 */
export function exportRecord(
  plan: ExportPlan,
  profile: MergedStoredProfile,
  events: readonly StoredEvent[],
): ExportRecord {
  const record: ExportRecord = { ...plan.projectProfile(profile.profile as Record<string, unknown>) };
  if (plan.events) {
    const { window, project } = plan.events;
    record.eventList = events
      .filter((event) => isInWindow(window, event.ingestTime))
      .sort((a, b) => a.ingestTime - b.ingestTime || (a.eventId < b.eventId ? -1 : 1))
      .map((event) => project(event.event));
  }
  return record;
}

/** The identity namespaces a profile carries (each counted once). */
export function namespacesOf(profile: MergedStoredProfile): string[] {
  return [...new Set(profile.profile.identities.map((identity) => identity.namespace))];
}
