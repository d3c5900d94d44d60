import { JOB_STATUSES, canTransition, isTerminal, statusesBefore } from '../../lambda/contract/job-lifecycle';
import { deleteActionFor } from '../../lambda/domain/lifecycle';

describe('job lifecycle', () => {
  it('moves NEW → PROCESSING → SUCCEEDED | FAILED, and NEW | PROCESSING → CANCELLED', () => {
    expect(canTransition('NEW', 'PROCESSING')).toBe(true);
    expect(canTransition('PROCESSING', 'SUCCEEDED')).toBe(true);
    expect(canTransition('PROCESSING', 'FAILED')).toBe(true);
    expect(canTransition('NEW', 'CANCELLED')).toBe(true);
    expect(canTransition('PROCESSING', 'CANCELLED')).toBe(true);
  });

  it('never leaves a terminal state and never goes back', () => {
    for (const terminal of ['SUCCEEDED', 'FAILED', 'CANCELLED'] as const) {
      expect(isTerminal(terminal)).toBe(true);
      for (const next of JOB_STATUSES) expect(canTransition(terminal, next)).toBe(false);
    }
    expect(canTransition('PROCESSING', 'NEW')).toBe(false);
    expect(canTransition('NEW', 'SUCCEEDED')).toBe(false);
  });

  it('lists the statuses a transition may start from', () => {
    expect(statusesBefore('CANCELLED').sort()).toEqual(['NEW', 'PROCESSING']);
    expect(statusesBefore('PROCESSING')).toEqual(['NEW']);
  });

  it('cancels a NEW job, marks a PROCESSING one, and removes a finished one on DELETE', () => {
    expect(deleteActionFor('NEW')).toBe('cancel');
    expect(deleteActionFor('PROCESSING')).toBe('request-cancel');
    expect(deleteActionFor('SUCCEEDED')).toBe('remove');
    expect(deleteActionFor('FAILED')).toBe('remove');
    expect(deleteActionFor('CANCELLED')).toBe('remove');
  });
});
