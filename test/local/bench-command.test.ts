import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

jest.setTimeout(180_000);

/**
 * `npm run bench` is not timed by any test (its figures are measured by hand), but it must keep
 * working: it drives the API as a client does, so a change to the API (authentication, say)
 * can break it. This runs it on tiny tenants and checks that it measures and reports both.
 */
describe('npm run bench', () => {
  it('exports a small and a larger tenant and reports read time, export time and memory for both', async () => {
    // WHEN the benchmark runs on tenants of 300 and 600 profiles
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--openssl-legacy-provider', '--import', 'tsx', 'bench/export-bench.ts', '--small', '300', '--large', '600'],
      { cwd: `${__dirname}/../..`, maxBuffer: 16 * 1024 * 1024 },
    );
    // THEN it prints one row per size with every measurement, and both goals with their verdict
    const rows = stdout
      .split('\n')
      .map((line) =>
        /^\s+(\d+)\s+([\d.]+) s\s+([\d.]+) s\s+([\d.]+)x\s+(\d+) profiles\/s\s+([\d.]+) s\s+([\d.]+) MiB$/.exec(line),
      )
      .filter((match) => match !== null);
    expect(rows.map((row) => Number(row[1]))).toEqual([300, 600]);
    for (const row of rows) expect(Number(row[7])).toBeGreaterThan(0);
    expect(stdout).toMatch(/export \/ bare read at 600 profiles: [\d.]+x \(goal <= 1\.5x\) (MET|NOT MET)/);
    expect(stdout).toMatch(/worker peak memory, 600 vs 300 profiles: [\d.]+ \(goal < 1\.3\) (MET|NOT MET)/);
  });
});
