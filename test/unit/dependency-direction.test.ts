import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

/** Every relative import of every TypeScript file under `folder`, resolved against the project root. */
function relativeImports(folder: string): Array<{ file: string; target: string }> {
  const found: Array<{ file: string; target: string }> = [];
  const visit = (directory: string) => {
    for (const entry of fs.readdirSync(directory, { withFileTypes: true })) {
      const full = path.join(directory, entry.name);
      if (entry.isDirectory()) visit(full);
      else if (/\.(ts|cjs|js)$/.test(entry.name) && !entry.name.endsWith('.d.ts')) {
        const source = fs.readFileSync(full, 'utf8');
        for (const match of source.matchAll(/(?:from|import|require\()\s*['"](\.{1,2}\/[^'"]+)['"]/g)) {
          found.push({
            file: path.relative(ROOT, full),
            target: path.relative(ROOT, path.resolve(directory, match[1])),
          });
        }
      }
    }
  };
  visit(path.join(ROOT, folder));
  return found;
}

describe('direction of dependencies', () => {
  it('GIVEN the constructs WHEN their imports are read THEN lib/ reaches into lambda/ only through lambda/contract', () => {
    const outside = relativeImports('lib').filter(
      ({ target }) => !target.startsWith('lib') && !target.startsWith(path.join('lambda', 'contract')),
    );
    expect(outside).toEqual([]);
  });

  it('GIVEN the contract WHEN its imports are read THEN it depends on nothing else of the project', () => {
    const outside = relativeImports(path.join('lambda', 'contract')).filter(
      ({ target }) => !target.startsWith(path.join('lambda', 'contract')),
    );
    expect(outside).toEqual([]);
  });

  it('GIVEN the domain WHEN its imports are read THEN it depends only on itself and the contract (no adapters, no AWS)', () => {
    const imports = relativeImports(path.join('lambda', 'domain'));
    const outside = imports.filter(
      ({ target }) =>
        !target.startsWith(path.join('lambda', 'domain')) && !target.startsWith(path.join('lambda', 'contract')),
    );
    expect(outside).toEqual([]);
    const awsPackages = fs
      .readdirSync(path.join(ROOT, 'lambda', 'domain'), { recursive: true, encoding: 'utf8' })
      .filter((file) => file.endsWith('.ts'))
      .filter((file) =>
        /from '(@aws-sdk|aws-lambda|@aws-lambda-powertools)/.test(
          fs.readFileSync(path.join(ROOT, 'lambda', 'domain', file), 'utf8'),
        ),
      );
    expect(awsPackages).toEqual([]);
  });
});
