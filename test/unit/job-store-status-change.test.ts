import { statusesBefore } from '../../lambda/contract/job-lifecycle';
import { JOB_KEYS } from '../../lambda/contract/job-table';
import { statusChange } from '../../lambda/adapters/job-store/status-change';

const tenant = { orgId: 'org@AdobeOrg', sandboxName: 'prod' };

describe('conditional status changes of the job store', () => {
  it('GIVEN a target status WHEN no from-list is named THEN the condition allows exactly the statuses the lifecycle allows it from', () => {
    const change = statusChange(tenant, 'CANCELLED');
    const allowed = Object.entries(change.values)
      .filter(([name]) => name.startsWith(':from'))
      .map(([, status]) => status);
    expect(allowed).toEqual(statusesBefore('CANCELLED'));
    expect(change.conditions).toEqual(['#status IN (:from0, :from1)']);
  });

  it('GIVEN a status change WHEN it is built THEN it also moves the byStatus index key of the job', () => {
    const change = statusChange(tenant, 'SUCCEEDED');
    expect(change.values[':toTenantStatus']).toBe(JOB_KEYS.tenantStatus(tenant, 'SUCCEEDED'));
    expect(change.values[':to']).toBe('SUCCEEDED');
  });

  it('GIVEN a from-list the lifecycle does not allow WHEN the change is built THEN it is refused before any write', () => {
    expect(() => statusChange(tenant, 'PROCESSING', ['SUCCEEDED'])).toThrow(
      'The job lifecycle has no transition SUCCEEDED → PROCESSING.',
    );
  });

  it('GIVEN a retried step WHEN the target status is in the from-list THEN the change is allowed (idempotent retry)', () => {
    expect(statusChange(tenant, 'PROCESSING', ['NEW', 'PROCESSING']).conditions).toEqual([
      '#status IN (:from0, :from1)',
    ]);
  });
});
