import * as fs from 'node:fs';
import type { LocalStackProcess } from './local-stack-process';

export default async function globalTeardown(): Promise<void> {
  const state = (globalThis as Record<string, unknown>).__localStack as
    { stack: LocalStackProcess; dataDirectory: string } | undefined;
  if (!state) return;
  await state.stack.stop();
  if (!process.env.KEEP_E2E_DATA) fs.rmSync(state.dataDirectory, { recursive: true, force: true });
}
