import { formatFieldList, parseFieldList } from '../../lambda/domain/field-paths';

describe('fields list', () => {
  it('ignores blanks around commas and drops duplicates', () => {
    const { paths, errors } = parseFieldList(' identities.id ,personalEmail.address,identities.id ', '/fields');
    expect(errors).toEqual([]);
    expect(paths).toEqual(['identities.id', 'personalEmail.address']);
    expect(formatFieldList(paths)).toBe('identities.id,personalEmail.address');
  });

  it('reads an empty or blank list as all fields', () => {
    expect(parseFieldList('', '/fields')).toEqual({ paths: [], errors: [] });
    expect(parseFieldList('   ', '/fields')).toEqual({ paths: [], errors: [] });
  });

  it('reports each entry that is not a dot path, by position', () => {
    const { errors } = parseFieldList('a..b, ,c d,_experience.ok', '/fields');
    expect(errors.map((error) => error.message)).toEqual([
      'entry 1 ("a..b") is not a dot path such as "personalEmail.address"',
      'entry 2 ("") is not a dot path such as "personalEmail.address"',
      'entry 3 ("c d") is not a dot path such as "personalEmail.address"',
    ]);
    expect(errors.every((error) => error.path === '/fields' && error.code === 'field_path')).toBe(true);
  });
});
