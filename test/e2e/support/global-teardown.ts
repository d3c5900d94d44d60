import type { ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';

export default async function globalTeardown(): Promise<void> {
  const stack = (globalThis as Record<string, unknown>).__localStack as
    { child: ChildProcess; dataDirectory: string } | undefined;
  if (!stack) return;
  const exited = new Promise((resolve) => stack.child.once('exit', resolve));
  stack.child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, 15_000)))]);
  clearTimeout(timer);
  if (stack.child.exitCode === null) stack.child.kill('SIGKILL');
  fs.rmSync(stack.dataDirectory, { recursive: true, force: true });
}
