import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ENVIRONMENT } from '../contract/environment';
import { JOB_EVENTS, type JobEndedDetail } from '../contract/job-events';
import type { JobEventBus } from '../domain/export/job-ended-event';
import { tracer } from '../observability/powertools';
import { requiredEnv } from './required-env';

const eventBridge = tracer.captureAWSv3Client(new EventBridgeClient({}));

/** PutEvents takes at most 10 entries a call. */
const MAX_ENTRIES = 10;

/** The job events on an EventBridge bus (the one the construct names). */
export class EventBridgeJobEvents implements JobEventBus {
  constructor(private readonly eventBusName = requiredEnv(ENVIRONMENT.eventBusName)) {}

  async publishJobsEnded(details: readonly JobEndedDetail[]): Promise<void> {
    for (let start = 0; start < details.length; start += MAX_ENTRIES) {
      const batch = details.slice(start, start + MAX_ENTRIES);
      const result = await eventBridge.send(
        new PutEventsCommand({
          Entries: batch.map((detail) => ({
            EventBusName: this.eventBusName,
            Source: JOB_EVENTS.source,
            DetailType: JOB_EVENTS.jobEnded,
            Detail: JSON.stringify(detail),
            Time: new Date(detail.endTime),
          })),
        }),
      );
      // PutEvents answers 200 even when some entries were refused: each entry says so itself.
      if (result.FailedEntryCount) {
        const reasons = (result.Entries ?? []).filter((entry) => entry.ErrorCode).map((entry) => entry.ErrorCode);
        throw new Error(`EventBridge refused ${result.FailedEntryCount} job event(s): ${reasons.join(', ')}`);
      }
    }
  }
}
