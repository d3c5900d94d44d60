import type { StoredEvent, StoredProfile } from '../../contract/profile-store';
import type { ExportJobSpec } from '../../contract/workflow';
import { parseFieldList } from '../field-paths';
import { batchTargets, type BatchTarget } from './batch-targets';
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
  readonly filter: CompiledFilter;
  readonly projectProfile: Projection;
  /** Set when the job attaches each profile's events (additionalFields.eventList). */
  readonly events?: { readonly window: EventWindow; readonly project: Projection };
  readonly targets: readonly BatchTarget[];
  /** Which profiles of a shard need reading (a superset of what the filter accepts). */
  readonly selection: ReadSelection;
}

export function compileExportPlan(job: ExportJobSpec): ExportPlan {
  const eventList = job.additionalFields?.eventList;
  return {
    filter: compileFilter(job.filter),
    projectProfile: compileProjection(parseFieldList(job.fields ?? '', '').paths),
    ...(eventList && {
      events: {
        window: {
          ...(eventList.filter.fromIngestTimestamp && { after: Date.parse(eventList.filter.fromIngestTimestamp) }),
          ...(eventList.filter.toIngestTimestamp && { before: Date.parse(eventList.filter.toIngestTimestamp) }),
        },
        project: compileProjection(parseFieldList(eventList.fields ?? '', '').paths),
      },
    }),
    targets: batchTargets(job.destination),
    selection: readSelection(job.filter),
  };
}

/** The batches a profile is exported to: none when it does not match the filter. */
export function targetsOf(plan: ExportPlan, profile: StoredProfile): BatchTarget[] {
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
 * One exported profile as a JSON line: its projected fields, plus `eventList` (its events in
 * the ingest-time window, oldest first, projected) when the job asks for events.
 */
export function exportLine(plan: ExportPlan, profile: StoredProfile, events: readonly StoredEvent[]): string {
  const record: Record<string, unknown> = { ...plan.projectProfile(profile.profile as Record<string, unknown>) };
  if (plan.events) {
    const { window, project } = plan.events;
    record.eventList = events
      .filter((event) => isInWindow(window, event.ingestTime))
      .sort((a, b) => a.ingestTime - b.ingestTime || (a.eventId < b.eventId ? -1 : 1))
      .map((event) => project(event.event));
  }
  return `${JSON.stringify(record)}\n`;
}

/** The identity namespaces a profile carries (each counted once). */
export function namespacesOf(profile: StoredProfile): string[] {
  return [...new Set(profile.profile.identities.map((identity) => identity.namespace))];
}
