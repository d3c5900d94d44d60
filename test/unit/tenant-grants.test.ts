import { grantsFromAuthorizerContext, toAuthorizerContext } from '../../lambda/contract/authorizer-context';
import { claimValues, grantsFromClaims, isGranted } from '../../lambda/domain/tenant-grants';

describe('tenant grants', () => {
  it('reads a claim given as an array, a JSON array, or a comma- or space-separated string', () => {
    expect(claimValues(['a@Org', 'b@Org', 7, ''])).toEqual(['a@Org', 'b@Org']);
    expect(claimValues('["a@Org","b@Org"]')).toEqual(['a@Org', 'b@Org']);
    expect(claimValues('a@Org, b@Org c@Org')).toEqual(['a@Org', 'b@Org', 'c@Org']);
    expect(claimValues(undefined)).toEqual([]);
    expect(claimValues('[not json')).toEqual([]);
  });

  it('grants a tenant only when both its org and its sandbox are granted', () => {
    const grants = grantsFromClaims(
      { 'custom:orgs': 'a@Org,b@Org', 'custom:sandboxes': 'prod' },
      'custom:orgs',
      'custom:sandboxes',
    );
    expect(isGranted(grants, { orgId: 'a@Org', sandboxName: 'prod' })).toBe(true);
    expect(isGranted(grants, { orgId: 'c@Org', sandboxName: 'prod' })).toBe(false);
    expect(isGranted(grants, { orgId: 'a@Org', sandboxName: 'dev' })).toBe(false);
    expect(isGranted({ orgs: ['a@Org'], sandboxes: ['*'] }, { orgId: 'a@Org', sandboxName: 'anything' })).toBe(true);
    expect(isGranted({ orgs: [], sandboxes: ['*'] }, { orgId: 'a@Org', sandboxName: 'prod' })).toBe(false);
  });

  it('passes grants through the authorizer context, and finds none in a context without them', () => {
    const context = toAuthorizerContext('user-1', { orgs: ['a@Org'], sandboxes: ['prod', 'dev'] });
    expect(grantsFromAuthorizerContext({ ...context, principalId: 'user-1' })).toEqual({
      orgs: ['a@Org'],
      sandboxes: ['prod', 'dev'],
    });
    expect(grantsFromAuthorizerContext(undefined)).toBeUndefined();
    expect(grantsFromAuthorizerContext({ principalId: 'x' })).toBeUndefined();
    expect(grantsFromAuthorizerContext({ orgs: 'not json', sandboxes: '[]' })).toBeUndefined();
    expect(grantsFromAuthorizerContext({ orgs: '{"a":1}', sandboxes: '[]' })).toBeUndefined();
  });
});
