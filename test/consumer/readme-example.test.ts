import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.resolve(__dirname, '..', '..');

describe("the README's example of using the construct in another stack", () => {
  it('GIVEN the README WHEN its example stack is read THEN it is examples/customer-data-stack.ts verbatim (the stack the consumer test synthesizes)', () => {
    const readme = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const marker = '<!-- examples/customer-data-stack.ts';
    const block = readme.slice(readme.indexOf(marker)).match(/```ts\n([\s\S]*?)```/);
    expect(readme).toContain(marker);
    expect(block?.[1]).toBe(fs.readFileSync(path.join(ROOT, 'examples', 'customer-data-stack.ts'), 'utf8'));
  });
});
