import { jobErrorOf } from '../../../lambda/domain/export/fail-export';

describe('job errors of a failed step', () => {
  it('keeps the message of a Lambda error without its stack trace', () => {
    const cause = JSON.stringify({
      errorType: 'AccessDenied',
      errorMessage: 'Access Denied to bucket exports',
      trace: ['AccessDenied: Access Denied', '    at S3Client.send (/var/task/index.js:1:2)'],
    });
    expect(jobErrorOf({ error: { Error: 'AccessDenied', Cause: cause }, failedState: 'ExportShards' })).toEqual({
      code: 'AccessDenied',
      msg: 'Access Denied to bucket exports',
      callStack: 'ExportShards',
    });
  });

  it('keeps a plain-text cause, first line only', () => {
    expect(
      jobErrorOf({
        error: { Error: 'States.Timeout', Cause: 'Task timed out\n    at somewhere' },
        failedState: 'FinalizeExport',
      }),
    ).toEqual({ code: 'States.Timeout', msg: 'Task timed out', callStack: 'FinalizeExport' });
    expect(jobErrorOf({ error: { Error: 'States.TaskFailed' }, failedState: 'PlanExport' }).msg).toBe(
      'States.TaskFailed',
    );
  });
});
