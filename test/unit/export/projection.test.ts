import { compileProjection } from '../../../lambda/domain/export/projection';

const profile = {
  identities: [
    { id: 'a@example.com', namespace: 'email' },
    { id: '42', namespace: 'crmId' },
  ],
  personalEmail: { address: 'a@example.com', status: 'active' },
  person: { name: { firstName: 'Ada', lastName: 'Lovelace' }, gender: 'female' },
  loyalty: { tier: 'gold', points: 0, joined: null },
};

describe('fields projection', () => {
  it('keeps nested dot paths with their structure, through arrays', () => {
    const project = compileProjection(['identities.id', 'personalEmail.address']);
    expect(project(profile)).toEqual({
      identities: [{ id: 'a@example.com' }, { id: '42' }],
      personalEmail: { address: 'a@example.com' },
    });
  });

  it('keeps whole subtrees, merges overlapping paths and keeps falsy values', () => {
    const project = compileProjection(['person.name', 'person.name.firstName', 'loyalty.points', 'loyalty.joined']);
    expect(project(profile)).toEqual({
      person: { name: { firstName: 'Ada', lastName: 'Lovelace' } },
      loyalty: { points: 0, joined: null },
    });
  });

  it('leaves out missing fields and keeps everything when no field is listed', () => {
    expect(compileProjection(['nothing.here', 'person.age'])(profile)).toEqual({});
    expect(compileProjection([])(profile)).toBe(profile);
  });

  it('does not go into scalars', () => {
    expect(compileProjection(['personalEmail.address.domain'])(profile)).toEqual({});
  });
});
