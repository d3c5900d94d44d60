import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import { terminate } from '../../../local/processes';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__localStack as
    { child: ChildProcess; dataDirectory: string } | undefined;
  if (!stack) return;
  await terminate(stack.child, 15_000);
  fs.rmSync(stack.dataDirectory, { recursive: true, force: true });
}
