#!/usr/bin/env node
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createGzip } from 'node:zlib';
import * as esbuild from 'esbuild';
import { generateProfiles } from '../bin/support/profile-generator';
import { mergeStoredProfile, TIMESTAMP_ORDERED } from '../lambda/domain/merge/merge-fragments';
import { exportColumns, type ParquetColumn } from '../lambda/contract/parquet-columns';
import { XDM_PROFILE_UNION } from '../lambda/contract/xdm-schemas';
import { compileRowSplitter, type ParquetRow } from '../lambda/domain/export/parquet-record';

/**
 * `node --import tsx bench/parquet-writers.ts [--profiles 20000]`: how the Parquet writers on
 * npm compare at writing the export's profiles (every field, the columns of the XDM profile
 * schema: structs, identities as a list of structs, segmentMembership as a map of maps), each
 * streamed in row groups of 5,000 rows to a sink that only hashes the bytes, each in a process
 * of its own (peak RSS), beside the gzip JSON Lines writer of today. Also the size of each
 * library in a minified esbuild bundle. The library that the export uses was chosen with this.
 *
 * The candidates that are not dependencies of the project are measured when installed:
 *   npm install --no-save @dsnp/parquetjs@1.8.9 parquet-wasm@0.8.0 apache-arrow@21.2.0
 */
const ROW_GROUP_ROWS = 5_000;

interface Measurement {
  readonly candidate: string;
  readonly ms: number;
  readonly cpuMs: number;
  readonly peakRssMiB: number;
  readonly bytes: number;
}

/** A sink that hashes and counts, as the S3 upload does, and keeps nothing. */
class HashingSink extends Writable {
  readonly hash = createHash('sha256');
  bytes = 0;
  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: () => void): void {
    this.hash.update(chunk);
    this.bytes += chunk.length;
    callback();
  }
}

type Writer = (records: Iterable<Record<string, unknown>>, columns: readonly ParquetColumn[]) => Promise<number>;

const CANDIDATES: Record<string, Writer> = {
  'json lines + gzip 1 (today)': async (records) => {
    const sink = new HashingSink();
    const gzip = createGzip({ level: 1 });
    gzip.pipe(sink);
    let pending = '';
    for (const record of records) {
      pending += `${JSON.stringify(record)}\n`;
      if (pending.length >= 64 * 1024) {
        if (!gzip.write(pending)) await new Promise((resolve) => gzip.once('drain', resolve));
        pending = '';
      }
    }
    gzip.end(pending);
    await new Promise((resolve) => sink.on('finish', resolve));
    return sink.bytes;
  },

  'hyparquet-writer 0.17 (snappy)': async (records, columns) => {
    const { ByteWriter, ParquetWriter } = await import('hyparquet-writer');
    const { schemaElements } = await import('../lambda/adapters/s3-parquet-part-writer');
    const sink = new HashingSink();
    const bytes = new ByteWriter();
    const writer = new ParquetWriter({ writer: bytes, schema: schemaElements(columns) });
    const take = () => {
      sink.write(new Uint8Array(bytes.buffer.slice(0, bytes.index)));
      bytes.index = 0;
    };
    for (const rows of rowGroups(records, columns)) {
      await writer.write({
        columnData: columns.map((column) => ({ name: column.name, data: rows.map((row) => row[column.name]) })),
        rowGroupSize: rows.length,
      });
      take();
    }
    await writer.finish();
    take();
    return sink.bytes;
  },

  '@dsnp/parquetjs 1.8.9 (snappy)': async (records, columns) => {
    const parquet = await import('@dsnp/parquetjs' as string);
    const sink = new HashingSink();
    const schema = new parquet.ParquetSchema(
      Object.fromEntries(columns.map((column) => [column.name, parquetjsField(column)])),
    );
    const writer = await parquet.ParquetWriter.openStream(schema, sink, {
      rowGroupSize: ROW_GROUP_ROWS,
      compression: 'SNAPPY',
    });
    for (const rows of rowGroups(records, columns)) {
      for (const row of rows) await writer.appendRow(parquetjsRow(row, columns));
    }
    await writer.close();
    return sink.bytes;
  },

  'parquet-wasm 0.8 + apache-arrow 21 (snappy)': async (records, columns) => {
    const arrow = await import('apache-arrow' as string);
    const wasm = await import('parquet-wasm' as string);
    const types = Object.fromEntries(columns.map((column) => [column.name, arrowType(arrow, column)]));
    const groups = rowGroups(records, columns)[Symbol.iterator]();
    const batches = new ReadableStream({
      pull(controller) {
        const next = groups.next();
        if (next.done) return controller.close();
        const rows = next.value;
        const table = new arrow.Table(
          Object.fromEntries(
            columns.map((column) => [
              column.name,
              arrow.vectorFromArray(
                rows.map((row) => arrowValue(row[column.name], column)),
                types[column.name],
              ),
            ]),
          ),
        );
        // IPC bytes are how arrow-js hands batches to the wasm module.
        const wasmTable = wasm.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
        for (const batch of wasmTable.recordBatches()) controller.enqueue(batch);
      },
    });
    const properties = new wasm.WriterPropertiesBuilder().setCompression(wasm.Compression.SNAPPY).build();
    const output = await wasm.transformParquetStream(batches, properties);
    const sink = new HashingSink();
    for await (const chunk of output as AsyncIterable<Uint8Array>) sink.write(chunk);
    return sink.bytes;
  },
};

/** The export's rows (split as the Parquet part writer splits them), in row groups. */
function* rowGroups(records: Iterable<Record<string, unknown>>, columns: readonly ParquetColumn[]) {
  const split = compileRowSplitter(columns);
  let rows: ParquetRow[] = [];
  for (const record of records) {
    rows.push(split(record));
    if (rows.length === ROW_GROUP_ROWS) {
      yield rows;
      rows = [];
    }
  }
  if (rows.length > 0) yield rows;
}

/** parquetjs has no MAP or LIST annotation: a list is a repeated field, a map a repeated key/value group. */
function parquetjsField(column: ParquetColumn): Record<string, unknown> {
  switch (column.kind) {
    case 'struct':
      return {
        optional: true,
        fields: Object.fromEntries(column.fields.map((field) => [field.name, parquetjsField(field)])),
      };
    case 'list':
      return { ...parquetjsField(column.element), optional: false, repeated: true };
    case 'map':
      return {
        repeated: true,
        fields: { key: { type: 'UTF8' }, value: parquetjsField(column.value) },
      };
    case 'int64':
      return { type: 'INT64', optional: true };
    case 'double':
      return { type: 'DOUBLE', optional: true };
    case 'boolean':
      return { type: 'BOOLEAN', optional: true };
    default:
      return { type: 'UTF8', optional: true };
  }
}

function parquetjsRow(row: ParquetRow, columns: readonly ParquetColumn[]): Record<string, unknown> {
  return Object.fromEntries(columns.map((column) => [column.name, parquetjsValue(row[column.name], column)]));
}

function parquetjsValue(value: unknown, column: ParquetColumn): unknown {
  if (value === null || value === undefined) return column.kind === 'list' || column.kind === 'map' ? [] : undefined;
  if (column.kind === 'struct') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(column.fields.map((field) => [field.name, parquetjsValue(object[field.name], field)]));
  }
  if (column.kind === 'list') return (value as unknown[]).map((item) => parquetjsValue(item, column.element));
  if (column.kind === 'map')
    return Object.entries(value as Record<string, unknown>).map(([key, entry]) => ({
      key,
      value: parquetjsValue(entry, column.value),
    }));
  return value;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
function arrowType(arrow: any, column: ParquetColumn): unknown {
  const field = (name: string, type: unknown) => new arrow.Field(name, type, true);
  switch (column.kind) {
    case 'struct':
      return new arrow.Struct(column.fields.map((child) => field(child.name, arrowType(arrow, child))));
    case 'list':
      return new arrow.List(field('element', arrowType(arrow, column.element)));
    case 'map':
      return new arrow.Map_(
        new arrow.Field(
          'entries',
          new arrow.Struct([
            new arrow.Field('key', new arrow.Utf8(), false),
            field('value', arrowType(arrow, column.value)),
          ]),
          false,
        ),
      );
    case 'int64':
      return new arrow.Int64();
    case 'double':
      return new arrow.Float64();
    case 'boolean':
      return new arrow.Bool();
    default:
      return new arrow.Utf8();
  }
}

/** Arrow's map builder takes `Map`s. */
function arrowValue(value: unknown, column: ParquetColumn): unknown {
  if (value === null || value === undefined) return null;
  if (column.kind === 'struct') {
    const object = value as Record<string, unknown>;
    return Object.fromEntries(column.fields.map((field) => [field.name, arrowValue(object[field.name], field)]));
  }
  if (column.kind === 'list') return (value as unknown[]).map((item) => arrowValue(item, column.element));
  if (column.kind === 'map')
    return new Map(
      Object.entries(value as Record<string, unknown>).map(([key, entry]) => [key, arrowValue(entry, column.value)]),
    );
  return value;
}

/** One candidate in this process: the records are generated as they are written, as a shard reads them. */
async function measure(candidate: string, profiles: number): Promise<Measurement> {
  const columns = exportColumns(XDM_PROFILE_UNION, { fields: [] });
  const records = (function* () {
    for (const { profile } of generateProfiles({ profiles, seed: 7, events: false }))
      yield mergeStoredProfile(profile, TIMESTAMP_ORDERED).profile as Record<string, unknown>;
  })();
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await CANDIDATES[candidate](records, columns);
  const ms = performance.now() - started;
  const used = process.cpuUsage(cpu);
  return {
    candidate,
    ms,
    cpuMs: (used.user + used.system) / 1000,
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    bytes,
  };
}

/** The minified bundle size of a module that imports the library (and, for wasm, the .wasm file). */
function bundleKiB(specifier: string, extraFile?: string): string {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), 'parquet-bundle-'));
  try {
    const entry = path.join(directory, 'entry.mjs');
    fs.writeFileSync(entry, `export * from ${JSON.stringify(specifier)};\n`);
    const outfile = path.join(directory, 'out.js');
    esbuild.buildSync({
      entryPoints: [entry],
      bundle: true,
      minify: true,
      platform: 'node',
      format: 'cjs',
      outfile,
      logLevel: 'error',
      loader: { '.wasm': 'file' },
      external: ['@aws-sdk/*'],
      nodePaths: [path.join(process.cwd(), 'node_modules')],
    });
    const bytes = fs.statSync(outfile).size + (extraFile ? fs.statSync(require.resolve(extraFile)).size : 0);
    return `${Math.round(bytes / 1024)} KiB`;
  } catch (error) {
    return `not bundled (${(error as Error).message.split('\n')[0]})`;
  } finally {
    fs.rmSync(directory, { recursive: true, force: true });
  }
}

const BUNDLES: Record<string, () => string> = {
  'json lines + gzip 1 (today)': () => '0 KiB (node:zlib)',
  'hyparquet-writer 0.17 (snappy)': () => bundleKiB('hyparquet-writer'),
  '@dsnp/parquetjs 1.8.9 (snappy)': () => bundleKiB('@dsnp/parquetjs') + ' (+ @aws-sdk/client-s3, external)',
  'parquet-wasm 0.8 + apache-arrow 21 (snappy)': () =>
    `${bundleKiB('apache-arrow')} arrow + ${Math.round(fs.statSync(require.resolve('parquet-wasm/node/parquet_wasm_bg.wasm')).size / 1024)} KiB wasm`,
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { profiles: { type: 'string', default: '20000' }, candidate: { type: 'string' } },
  });
  const profiles = Number(values.profiles);
  if (values.candidate) {
    console.log(JSON.stringify(await measure(values.candidate, profiles)));
    return;
  }
  console.log(`Writing ${profiles} profiles (all fields, row groups of ${ROW_GROUP_ROWS}), one process per writer:\n`);
  console.log(
    'writer                                         wall ms   CPU ms  peak RSS   file bytes  bytes/profile  bundle',
  );
  for (const candidate of Object.keys(CANDIDATES)) {
    let line: string;
    try {
      const output = execFileSync(
        process.execPath,
        ['--import', 'tsx', __filename, '--profiles', String(profiles), '--candidate', candidate],
        { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] },
      );
      const m = JSON.parse(output.trim().split('\n').pop()!) as Measurement;
      line =
        `${m.candidate.padEnd(44)} ${m.ms.toFixed(0).padStart(8)} ${m.cpuMs.toFixed(0).padStart(8)} ` +
        `${m.peakRssMiB.toFixed(0).padStart(5)} MiB ${String(m.bytes).padStart(12)} ${(m.bytes / profiles).toFixed(0).padStart(14)}  ${BUNDLES[candidate]()}`;
    } catch (error) {
      const stderr = String((error as { stderr?: string }).stderr ?? (error as Error).message);
      line = `${candidate.padEnd(44)} not measured: ${
        stderr
          .trim()
          .split('\n')
          .find((l) => /Error|Cannot/.test(l)) ?? stderr.trim().split('\n')[0]
      }`;
    }
    console.log(line);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
