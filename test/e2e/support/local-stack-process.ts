import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { terminate } from '../../../local/processes';

const ROOT = path.resolve(__dirname, '..', '..', '..');

export interface LocalStackProcess {
  /** The API's base URL (under the stage path). */
  readonly url: string;
  /** Where the jobs are: `url`, the stage's base path, `/export/jobs`. */
  readonly jobsUrl: string;
  readonly dataDirectory: string;
  readonly child: ChildProcess;
  stop(): Promise<void>;
  /** Kills the process outright (SIGKILL), as a crash would: nothing is cleaned up. */
  kill(): Promise<void>;
}

/**
 * Starts the local stack the way `npm start` does, as a process of its own, and waits until it
 * serves requests. Its output goes to <dataDirectory>/local-stack.log.
 */
export async function startLocalStackProcess(dataDirectory: string, flags: string[] = []): Promise<LocalStackProcess> {
  fs.mkdirSync(dataDirectory, { recursive: true });
  const readyFile = path.join(dataDirectory, 'ready.json');
  fs.rmSync(readyFile, { force: true });
  const outputFile = path.join(dataDirectory, 'local-stack.log');
  const output = fs.openSync(outputFile, 'a');
  const child = spawn(
    process.execPath,
    [
      '--openssl-legacy-provider',
      '--import',
      'tsx',
      'bin/local.ts',
      '--port',
      '0',
      '--data-dir',
      dataDirectory,
      '--ready-file',
      readyFile,
      ...flags,
    ],
    { cwd: ROOT, stdio: ['ignore', output, output] },
  );
  child.unref();
  fs.closeSync(output);
  const deadline = Date.now() + 180_000;
  while (!fs.existsSync(readyFile)) {
    const log = () => fs.readFileSync(outputFile, 'utf8');
    if (child.exitCode !== null) throw new Error(`The local stack exited (${child.exitCode}):\n${log()}`);
    if (Date.now() > deadline) throw new Error(`The local stack did not start within 3 minutes:\n${log()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const { url, jobsUrl } = JSON.parse(fs.readFileSync(readyFile, 'utf8'));
  return {
    url,
    jobsUrl,
    dataDirectory,
    child,
    stop: () => terminate(child, 15_000),
    kill: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGKILL');
      await exited;
    },
  };
}
