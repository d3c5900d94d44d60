import { DomainError } from '../../lambda/domain/errors';
import { parseJobId } from '../../lambda/domain/job-id';
import { parseListJobsQuery } from '../../lambda/domain/list-jobs-query';

function problemsOf(query: Record<string, string[]>): Array<[string, string]> {
  try {
    parseListJobsQuery(query);
  } catch (error) {
    if (error instanceof DomainError) return error.errors.map((e) => [e.path, e.code]);
    throw error;
  }
  throw new Error('expected the query to be refused');
}

describe('list jobs query', () => {
  it('defaults to 20 jobs from the newest', () => {
    expect(parseListJobsQuery({})).toEqual({ limit: 20, carried: [] });
  });

  it('reads limit, status and offset, and carries limit and status into link.next', () => {
    expect(parseListJobsQuery({ limit: ['2'], status: ['NEW'], offset: ['1538573416687_722'] })).toEqual({
      limit: 2,
      status: 'NEW',
      after: { creationTime: 1538573416687, id: 722 },
      carried: [
        ['limit', '2'],
        ['status', 'NEW'],
      ],
    });
  });

  it("GIVEN limit=1000, the default of the reference platform's clients, WHEN parsed THEN it is accepted", () => {
    expect(parseListJobsQuery({ limit: ['1000'] })).toEqual({ limit: 1000, carried: [['limit', '1000']] });
  });

  it.each([
    [{ limit: ['0'] }, '/limit', 'minimum'],
    [{ limit: ['1001'] }, '/limit', 'maximum'],
    [{ limit: ['ten'] }, '/limit', 'type'],
    [{ limit: ['1.5'] }, '/limit', 'type'],
    [{ status: ['DONE'] }, '/status', 'enum'],
    [{ status: ['new'] }, '/status', 'enum'],
    [{ offset: ['96'] }, '/offset', 'cursor'],
    [{ offset: ['abc_12'] }, '/offset', 'cursor'],
    [{ offset: ['99999999999999999_1'] }, '/offset', 'cursor'],
    [{ stauts: ['NEW'] }, '/stauts', 'unknown_field'],
    [{ limit: ['1', '2'] }, '/limit', 'repeated'],
  ])('refuses %j', (query, path, code) => {
    expect(problemsOf(query)).toContainEqual([path, code]);
  });

  it('lists every bad parameter at once', () => {
    expect(problemsOf({ limit: ['0'], status: ['X'], offset: ['x'] })).toHaveLength(3);
  });
});

describe('job id', () => {
  it('accepts positive integers', () => {
    expect(parseJobId('1')).toBe(1);
    expect(parseJobId('11037')).toBe(11037);
  });

  it.each([undefined, '', '0', '-1', '01', '1.0', 'abc', '1e3', '99999999999999999'])('refuses %j', (text) => {
    expect(() => parseJobId(text)).toThrow(/job id is invalid/);
  });
});
