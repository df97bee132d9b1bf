// Writes format-v1 run directories (README.md (On-disk format)): the format's writing side, for
// whatever makes runs outside the Python SDK (the benchmark stores, imports, the test fixtures).
//
//   new RunWriter(store, 'proj', 'abc12345').init({ name: 'jolly-haze-1' }).config({ lr: 0.01 })
//     .history(0, { loss: 1 }).history(1, { loss: 0.5 }).exit(0, 'finished').write();
//
// Records queue in memory until write(), which appends them to the run's files; call write()
// again after more records to append more, as a live run does. Each record advances the clock
// by one second unless given its `ts`.

import { appendFileSync, closeSync, existsSync, mkdirSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { hostname } from 'node:os';
import { dirname, join } from 'node:path';
import { stringifyJson } from './json';
import { FORMAT_MAJOR, FORMAT_MINOR, type AlertRecord, type ArtifactRecord, type EditRecord, type EventRecord, type HeaderRecord, type HistoryValue, type InitRecord } from './records';
import type { AlertLevel } from '../model';

export type RunFileName = 'events' | 'output' | 'system' | 'edits';

type Distribute<T> = T extends unknown ? Omit<T, 'type' | 'ts'> & { readonly ts?: number } : never;
type InitOptions = Partial<Omit<InitRecord, 'type'>>;

export interface RunWriterOptions {
  /** Time (epoch seconds) of the first record; default now. */
  readonly clock?: number;
  /** The header's `writer` field. */
  readonly writer?: string;
  /** Fields of every init record unless the call gives them (default pid: this process). */
  readonly init?: Partial<Omit<InitRecord, 'type'>>;
}

export class RunWriter {
  readonly dir: string;
  private clock: number;
  private readonly pending: Record<RunFileName, string[]> = { events: [], output: [], system: [], edits: [] };
  private headerState: 'due' | 'written' | 'skip' = 'due';
  private headerRecord: HeaderRecord;
  private readonly initDefaults: Partial<InitRecord>;

  constructor(
    readonly storeDir: string,
    readonly project: string,
    readonly id: string,
    options: RunWriterOptions = {},
  ) {
    this.dir = join(storeDir, 'projects', project, 'runs', id);
    this.clock = options.clock ?? Date.now() / 1000;
    this.headerRecord = { type: 'header', format: 'runlog', version: FORMAT_MAJOR, minor: FORMAT_MINOR, writer: options.writer ?? 'runlog-core', created: this.clock };
    this.initDefaults = options.init ?? {};
  }

  /** Sets the clock: the next record gets `ts`; each record advances the clock by `tick`. */
  at(ts: number): this {
    this.clock = ts;
    return this;
  }

  /** The clock set to now, for runs that must look alive. */
  now(): this {
    return this.at(Date.now() / 1000);
  }

  get time(): number {
    return this.clock;
  }

  /** Replaces the header written before the first record (e.g. `{ version: 2 }`). */
  header(fields: Partial<HeaderRecord> = {}): this {
    this.headerRecord = { ...this.headerRecord, ...fields };
    return this;
  }

  /** Writes no header line at all. */
  noHeader(): this {
    this.headerState = 'skip';
    return this;
  }

  init(options: InitOptions = {}): this {
    const { ts, ...rest } = options;
    const record: InitRecord = {
      type: 'init',
      ts: this.tick(ts),
      id: this.id,
      name: this.id,
      project: this.project,
      pid: process.pid,
      host: hostname(),
      resumed: false,
      meta: {},
      ...this.initDefaults,
      ...rest,
    };
    return this.event(record);
  }

  config(data: Record<string, unknown>, ts?: number): this {
    return this.event({ type: 'config', ts: this.tick(ts), data });
  }

  history(step: number, data: Record<string, HistoryValue>, ts?: number): this {
    return this.event({ type: 'history', ts: this.tick(ts), step, data });
  }

  summary(data: Record<string, unknown>, ts?: number): this {
    return this.event({ type: 'summary', ts: this.tick(ts), data });
  }

  notes(text: string, ts?: number): this {
    return this.event({ type: 'notes', ts: this.tick(ts), text });
  }

  tags(tags: readonly string[], ts?: number): this {
    return this.event({ type: 'tags', ts: this.tick(ts), tags });
  }

  name(name: string, ts?: number): this {
    return this.event({ type: 'name', ts: this.tick(ts), name });
  }

  /** Records a saved file and, unless `content` is null, writes it under the run directory. */
  file(path: string, content: string | null = '', ts?: number): this {
    const size = content === null ? 0 : Buffer.byteLength(content);
    if (content !== null) {
      const full = join(this.dir, path);
      mkdirSync(dirname(full), { recursive: true });
      writeFileSync(full, content);
    }
    return this.event({ type: 'file', ts: this.tick(ts), path, size });
  }

  artifact(fields: Distribute<Omit<ArtifactRecord, 'path'>> & { readonly path?: string }): this {
    const { ts, ...rest } = fields;
    const path = rest.path ?? `projects/${this.project}/artifacts/${rest.name}/${rest.version}`;
    return this.event({ ...rest, type: 'artifact', ts: this.tick(ts), path } satisfies ArtifactRecord);
  }

  alert(title: string, text: string, level: AlertLevel = 'INFO', ts?: number): this {
    return this.event({ type: 'alert', ts: this.tick(ts), title, text, level } satisfies AlertRecord);
  }

  heartbeat(step?: number, ts?: number): this {
    return this.event(step === undefined ? { type: 'heartbeat', ts: this.tick(ts) } : { type: 'heartbeat', ts: this.tick(ts), step });
  }

  rewind(step: number, ts?: number): this {
    return this.event({ type: 'rewind', ts: this.tick(ts), step });
  }

  exit(code: number, state: 'finished' | 'failed' | 'killed' = code === 0 ? 'finished' : 'failed', ts?: number): this {
    return this.event({ type: 'exit', ts: this.tick(ts), code, state });
  }

  output(stream: 'stdout' | 'stderr', text: string, ts?: number): this {
    this.pending.output.push(stringifyJson({ ts: this.tick(ts), stream, text }) + '\n');
    return this;
  }

  system(data: Record<string, number | null>, ts?: number): this {
    this.pending.system.push(stringifyJson({ ts: this.tick(ts), data }) + '\n');
    return this;
  }

  /** An `edits.jsonl` record, as the editor would write it. */
  edit(record: Distribute<EditRecord> & { readonly type: EditRecord['type'] }): this {
    const { ts, ...rest } = record;
    this.pending.edits.push(stringifyJson({ ...rest, ts: this.tick(ts) }) + '\n');
    return this;
  }

  /** Any record for `events.jsonl`, including unknown types or wrong shapes. */
  record(value: Record<string, unknown>): this {
    this.pending.events.push(stringifyJson(value) + '\n');
    return this;
  }

  /** Bytes appended verbatim to a file: corrupt lines, a torn last line without `\n`. */
  raw(file: RunFileName, text: string): this {
    this.pending[file].push(text);
    return this;
  }

  /** Appends every queued record to the run's files and clears the queue. */
  write(): this {
    mkdirSync(this.dir, { recursive: true });
    this.writeHeaderIfDue();
    for (const file of Object.keys(this.pending) as RunFileName[]) {
      const lines = this.pending[file];
      if (lines.length === 0) continue;
      appendFileSync(this.path(file), lines.join(''));
      lines.length = 0;
    }
    return this;
  }

  /**
   * Streams many history steps straight to `events.jsonl` in fixed-size chunks (no giant
   * string), after writing anything queued. `value(step, metricIndex)` defaults to a smooth
   * curve; each step advances the clock by `dt` seconds.
   */
  writeHistoryBulk(options: {
    readonly steps: number;
    readonly metrics: number | readonly string[];
    readonly startStep?: number;
    readonly dt?: number;
    readonly value?: (step: number, metric: number) => number;
  }): this {
    this.write();
    const names = typeof options.metrics === 'number' ? Array.from({ length: options.metrics }, (_, i) => `metric_${i}`) : options.metrics;
    const keys = names.map((name) => JSON.stringify(name));
    const value = options.value ?? ((step: number, metric: number) => Math.sin(step / 1000 + metric) / (1 + step / 1e5));
    const start = options.startStep ?? 0;
    const dt = options.dt ?? 0.01;
    const fd = openSync(this.path('events'), 'a');
    try {
      let chunk = '';
      for (let i = 0; i < options.steps; i++) {
        const step = start + i;
        let data = '';
        for (let m = 0; m < keys.length; m++) {
          const v = value(step, m);
          data += (m === 0 ? '' : ',') + keys[m] + ':' + (Number.isFinite(v) ? String(v) : Number.isNaN(v) ? 'NaN' : v > 0 ? 'Infinity' : '-Infinity');
        }
        chunk += `{"type":"history","ts":${this.clock},"step":${step},"data":{${data}}}\n`;
        this.clock += dt;
        if (chunk.length > 1 << 20) {
          writeSync(fd, chunk);
          chunk = '';
        }
      }
      if (chunk) writeSync(fd, chunk);
    } finally {
      closeSync(fd);
    }
    return this;
  }

  path(file: RunFileName): string {
    return join(this.dir, `${file}.jsonl`);
  }

  private event(record: EventRecord): this {
    this.pending.events.push(stringifyJson(record) + '\n');
    return this;
  }

  private writeHeaderIfDue(): void {
    if (this.headerState !== 'due') return;
    this.headerState = 'written';
    if (existsSync(this.path('events'))) return; // a second builder for a run that already has one
    writeFileSync(this.path('events'), stringifyJson(this.headerRecord) + '\n', { flag: 'a' });
  }

  private tick(ts: number | undefined): number {
    if (ts !== undefined) {
      this.clock = ts;
    }
    const now = this.clock;
    this.clock += 1;
    return now;
  }
}
