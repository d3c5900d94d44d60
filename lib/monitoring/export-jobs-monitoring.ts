import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { IExportJobsService } from '../export-jobs-service';

export interface ExportJobsMonitoringProps {
  /** The service to watch. */
  readonly service: IExportJobsService;
  /**
   * Where the alarms notify when they go into ALARM and back to OK.
   * @default - no action: the alarms only change state
   */
  readonly alarmTopic?: sns.ITopic;
  /**
   * Name of the dashboard.
   * @default - a name CloudFormation generates
   */
  readonly dashboardName?: string;
  /**
   * The p99 latency of the API above which, for three periods of five minutes in a row, the
   * latency alarm goes off.
   * @default Duration.seconds(3)
   */
  readonly latencyThreshold?: Duration;
  /**
   * Failed invocations of the export workers in five minutes that set the worker alarm off.
   * Retried failures count: a few are normal under throttling, many mean a broken export.
   * @default 5
   */
  readonly workerErrorThreshold?: number;
}

/**
 * A CloudWatch dashboard and the alarms an operator of the service needs, without writing them:
 * API 5xx and latency, workflow executions that failed or timed out, messages in the
 * dead-letter queue (a job that could not be started, ended or announced), and export worker
 * errors. Every alarm treats missing data as not breaching.
 */
export class ExportJobsMonitoring extends Construct {
  /** The dashboard. */
  public readonly dashboard: cloudwatch.Dashboard;
  /** Goes off on any 5xx answered by the API. */
  public readonly serverErrorsAlarm: cloudwatch.Alarm;
  /** Goes off when the API's p99 latency stays above the threshold. */
  public readonly latencyAlarm: cloudwatch.Alarm;
  /** Goes off when a workflow execution fails. */
  public readonly executionsFailedAlarm: cloudwatch.Alarm;
  /** Goes off when a workflow execution reaches the workflow timeout. */
  public readonly executionsTimedOutAlarm: cloudwatch.Alarm;
  /** Goes off when a message waits in the dead-letter queue. */
  public readonly deadLetterAlarm: cloudwatch.Alarm;
  /** Goes off when the export workers fail often. */
  public readonly workerErrorsAlarm: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ExportJobsMonitoringProps) {
    super(scope, id);
    const { service } = props;
    const fiveMinutes = { period: Duration.minutes(5) };
    const latencyThreshold = props.latencyThreshold ?? Duration.seconds(3);
    const workerErrorThreshold = props.workerErrorThreshold ?? 5;
    if (!Number.isInteger(workerErrorThreshold) || workerErrorThreshold < 1) {
      throw new Error(`workerErrorThreshold must be a positive integer, got ${workerErrorThreshold}`);
    }

    const alarm = (
      alarmId: string,
      metric: cloudwatch.IMetric,
      threshold: number,
      description: string,
      periods = 1,
    ) => {
      const created = new cloudwatch.Alarm(this, alarmId, {
        metric,
        threshold,
        evaluationPeriods: periods,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        alarmDescription: description,
      });
      if (props.alarmTopic) {
        created.addAlarmAction(new actions.SnsAction(props.alarmTopic));
        created.addOkAction(new actions.SnsAction(props.alarmTopic));
      }
      return created;
    };
    this.serverErrorsAlarm = alarm(
      'ServerErrors',
      service.metricServerErrors(fiveMinutes),
      1,
      'The Export Jobs API answered with a 5xx: see the access log and the function logs by request id.',
    );
    this.latencyAlarm = alarm(
      'Latency',
      service.metricLatency(fiveMinutes),
      latencyThreshold.toMilliseconds(),
      `The Export Jobs API's p99 latency stayed at or above ${latencyThreshold.toMilliseconds()} ms for 15 minutes.`,
      3,
    );
    this.executionsFailedAlarm = alarm(
      'ExecutionsFailed',
      service.metricExecutionsFailed(fiveMinutes),
      1,
      'An export workflow execution failed: its job ended FAILED with errors[] saying why.',
    );
    this.executionsTimedOutAlarm = alarm(
      'ExecutionsTimedOut',
      service.metricExecutionsTimedOut(fiveMinutes),
      1,
      'An export workflow execution reached the workflow timeout: its job ended FAILED.',
    );
    this.deadLetterAlarm = alarm(
      'DeadLetters',
      service.metricDeadLetterMessages(fiveMinutes),
      1,
      'A record waits in the dead-letter queue: a job could not be started, ended or announced after its retries.',
    );
    this.workerErrorsAlarm = alarm(
      'WorkerErrors',
      service.metricWorkerErrors(fiveMinutes),
      workerErrorThreshold,
      `The export workers failed ${workerErrorThreshold} or more times in 5 minutes (retries included).`,
    );

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: props.dashboardName,
      widgets: [
        [
          new cloudwatch.GraphWidget({
            title: 'API errors',
            left: [service.metricServerErrors(fiveMinutes), service.metricClientErrors(fiveMinutes)],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'API latency (p99)',
            left: [service.metricLatency(fiveMinutes)],
            leftAnnotations: [{ value: latencyThreshold.toMilliseconds(), label: 'alarm' }],
            width: 8,
          }),
          new cloudwatch.AlarmStatusWidget({
            title: 'Alarms',
            alarms: [
              this.serverErrorsAlarm,
              this.latencyAlarm,
              this.executionsFailedAlarm,
              this.executionsTimedOutAlarm,
              this.deadLetterAlarm,
              this.workerErrorsAlarm,
            ],
            width: 8,
          }),
        ],
        [
          new cloudwatch.GraphWidget({
            title: 'Export executions',
            left: [
              service.stateMachine.metricStarted({ ...fiveMinutes, statistic: 'Sum' }),
              service.stateMachine.metricSucceeded({ ...fiveMinutes, statistic: 'Sum' }),
              service.metricExecutionsFailed(fiveMinutes),
              service.metricExecutionsTimedOut(fiveMinutes),
            ],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Export duration (p90)',
            left: [service.metricExportDuration(fiveMinutes)],
            width: 8,
          }),
          new cloudwatch.GraphWidget({
            title: 'Export workers and dead letters',
            left: [service.metricWorkerErrors(fiveMinutes), service.metricWorkerThrottles(fiveMinutes)],
            right: [service.metricDeadLetterMessages(fiveMinutes)],
            width: 8,
          }),
        ],
      ],
    });
  }
}
