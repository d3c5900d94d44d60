import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

jest.setTimeout(300_000);

/**
 * `npm run bench` is not timed by any test (its figures are measured by hand), but it must keep
 * working: it drives the API as a client does, so a change to the API (authentication, say)
 * can break it. This runs it on tiny tenants and checks that it measures and reports both.
 */
describe('npm run bench', () => {
  it('exports a small and a larger tenant, a 1% segment and the 1% last updated, and reports read time, export time, memory and the five comparison lines', async () => {
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
    // AND it compares the same full export into a Parquet dataset and a JSON dataset
    expect(stdout).toMatch(/^parquet export \/ json lines export at 600 profiles: [\d.]+x$/m);
    expect(stdout).toMatch(/^parquet worker peak memory, 600 vs 300 profiles: [\d.]+ \(goal <= 1\.3\) (MET|NOT MET)$/m);
    // AND it compares an evaluated segment export with the stored-membership one, both ways
    expect(stdout).toMatch(/same records on every path: yes/);
    expect(stdout).toMatch(/^evaluated segment export \/ stored-membership export at 600 profiles: [\d.]+x$/m);
    expect(stdout).toMatch(
      /^evaluated segment export \/ index-backed stored-membership export \(API, the index reads only the \d+ members\) at 600 profiles: [\d.]+x$/m,
    );
    // AND it ends with the five comparison lines, exactly in this form
    expect(stdout.trim().split('\n').slice(-5)).toEqual([
      expect.stringMatching(/^full export \/ bare read at 600 profiles: [\d.]+x$/),
      expect.stringMatching(/^segment export \/ bare member read at 600 profiles, 6 members: [\d.]+x$/),
      expect.stringMatching(/^segment export speed-up over full export: [\d.]+x$/),
      expect.stringMatching(/^incremental export speed-up over full export: [\d.]+x$/),
      expect.stringMatching(/^seed rate: \d+ profiles\/s$/),
    ]);
  });
});
