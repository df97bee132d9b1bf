import * as assert from 'node:assert/strict';
import { appendFileSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { BLOCK_SIZE, LogWriter, readFrames, WANDB_HEADER } from '../../../src/core/sources/wandb/logFormat';
import { decodeRecord } from '../../../src/core/sources/wandb/records';
import { WireWriter } from '../../../src/core/sources/wandb/wire';
import { WandbSource } from '../../../src/core/sources/wandb/WandbSource';
import { readWholeRun, type NormalizedRun } from '../../../src/core/sources/normalize';
import type { MediaRecord } from '../../../src/core/format/records';
import { appendWandbRecords, copyWandbFixtures, rec, removeWandbTemps, tempDir, writeWandbRun } from '../../fixtures/wandbFiles';

const source = new WandbSource();
/** Well after the fixtures were written: runs with no exit record read as crashed. */
const LATER = Date.now() / 1000 + 3600;

function readRun(root: string, id: string, now = LATER): NormalizedRun {
  const { runs } = source.discover([root]);
  const ref = runs.find((r) => r.id === id);
  assert.ok(ref, `run ${id} found among ${runs.map((r) => r.id).join(', ')}`);
  return readWholeRun(source, ref, now);
}

const steps = (run: NormalizedRun): number[] => run.history.map((h) => h.step);
const series = (run: NormalizedRun, key: string): unknown[] => run.history.filter((h) => key in h.data).map((h) => h.data[key]);
const text = (run: NormalizedRun, stream: string): string => run.output.filter((o) => o.stream === stream).map((o) => o.text).join('');

describe('W&B source: the real offline runs (wandb 0.30.0)', function () {
  this.timeout(20_000);
  after(removeWandbTemps);

  it('finds every fixture run under a wandb/ folder, the resumed one once', () => {
    const { root } = copyWandbFixtures();
    const { runs, skipped } = source.discover([root]);
    assert.deepEqual(runs.map((r) => r.id).sort(), ['basics01', 'failed05', 'killed06', 'media002', 'resume04', 'system03']);
    assert.equal(runs.find((r) => r.id === 'resume04')?.dirs.length, 2);
    assert.deepEqual(skipped, []);
  });

  it('basics01: identity, nested config, 6 steps with NaN and +Infinity, summary, both output streams, finished', () => {
    const { root } = copyWandbFixtures('basics01');
    const run = readRun(root, 'basics01');
    const init = run.inits[0]!;
    assert.equal(init.project, 'fixtures');
    assert.equal(init.name, 'calm-river-1');
    assert.deepEqual(init.tags, ['baseline', 'näive']);
    assert.equal(init.notes, 'first try');
    assert.equal(init.group, 'exp-a');
    assert.equal(init.job_type, 'train');
    assert.equal(init.meta.program, '/home/ml/project/make_fixtures.py');
    assert.equal(init.meta.sdk_version, 'wandb 0.30.0');
    assert.deepEqual(steps(run), [0, 1, 2, 3, 4, 5]);
    assert.deepEqual(series(run, 'train/loss'), [1, 0.5, 1 / 3, 0.25, 0.2]);
    assert.deepEqual(series(run, 'train/acc'), [0, 0.2, 0.4, 0.6, 0.8]);
    assert.deepEqual(series(run, 'epoch'), [0, 1, 2, 3, 4]);
    assert.ok(Number.isNaN(run.history[5]!.data['val/loss']));
    assert.equal(run.history[5]!.data['val/acc'], Infinity);
    assert.equal((run.config.model as Record<string, unknown>).depth, 4);
    assert.equal(run.config.lr, 0.001);
    assert.equal(run.config.seed, 7);
    assert.equal(run.config._wandb, undefined, "W&B's own _wandb config stays out");
    assert.equal(run.summary.best_acc, 0.91);
    assert.equal(text(run, 'stdout'), 'epoch 0\nepoch 1\nepoch 2\nepoch 3\nepoch 4\n');
    assert.equal(text(run, 'stderr'), [0, 1, 2, 3, 4].map((e) => `warning at epoch ${e}\n`).join(''));
    assert.deepEqual([run.state, run.exitCode], ['finished', 0]);
    assert.deepEqual(run.files, ['files/requirements.txt']);
    assert.deepEqual(run.notes, []);
    assert.deepEqual(run.problems, []);
  });

  it('media002: 4 steps; images, histograms per step and a table as format 1.1 media records; define_metric kept', () => {
    const { root } = copyWandbFixtures('media002');
    const run = readRun(root, 'media002');
    assert.deepEqual(steps(run), [0, 1, 2, 3]);
    const media = run.events.filter((e): e is MediaRecord => e.type === 'media');
    const images = media.filter((m) => m.kind === 'image');
    assert.deepEqual(images.map((m) => [m.step, m.key, m.index]), [[0, 'sample', 0], [1, 'sample', 0], [2, 'sample', 0]]);
    for (const img of images) {
      // The record's path is W&B's, relative to its files/; a Runlog run keeps that folder as media/.
      assert.match(img.path ?? '', /^media\/images\/sample_\d_[0-9a-f]+\.png$/);
      const bytes = readFileSync(join(run.ref.dirs[0]!, 'files', img.path!));
      assert.equal(bytes.subarray(1, 4).toString(), 'PNG');
      assert.deepEqual([img.format, img.width, img.height, img.size], ['png', 24, 16, bytes.length]);
      assert.match(img.sha256 ?? '', /^[0-9a-f]{64}$/);
      assert.ok(img.path!.includes(img.sha256!.slice(0, 20)), 'W&B names the file by its sha256');
    }
    assert.deepEqual(images.map((m) => m.caption), ['step 0', 'step 1', 'step 2']);
    const hists = media.filter((m) => m.kind === 'histogram');
    assert.deepEqual(hists.map((m) => [m.step, m.key, m.path]), [[0, 'weights', undefined], [1, 'weights', undefined], [2, 'weights', undefined]]);
    for (const h of hists) {
      const counts = h.counts as number[];
      const bins = h.bins as number[];
      assert.equal(bins.length, counts.length + 1);
      assert.equal(counts.reduce((a, b) => a + b, 0), 1000);
    }
    const tables = media.filter((m) => m.kind === 'table');
    assert.deepEqual(tables.map((m) => [m.step, m.key, m.rows, m.columns]), [[3, 'predictions', 3, ['id', 'label', 'score', 'image']]]);
    assert.match(tables[0]!.path ?? '', /^media\/table\/predictions_3_[0-9a-f]+\.table\.json$/);
    assert.equal(media.length, 7);
    // Each media record comes after its step's history record, at the same time.
    for (const m of media) {
      const at = run.events.indexOf(m);
      const h = run.events.slice(0, at).reverse().find((e) => e.type === 'history');
      assert.deepEqual(h && h.type === 'history' ? [h.step, h.ts] : undefined, [m.step, m.ts]);
    }
    // The raw values stay as W&B wrote them; the summary keeps no media values (they are the Media tab's).
    assert.deepEqual(run.media.map((m) => m.type).sort(), ['histogram', 'histogram', 'histogram', 'image-file', 'image-file', 'image-file', 'table-file']);
    assert.deepEqual(Object.keys(run.summary).sort(), ['epoch', 'loss', 'val/acc']);
    // Media files are not run files: W&B's files records under media/ are the media records'.
    assert.deepEqual(run.files, ['files/requirements.txt']);
    assert.deepEqual(run.problems, []);
    assert.deepEqual(series(run, 'loss'), [1, 0.5, 1 / 3]);
    assert.deepEqual(series(run, 'val/acc'), [0.5, 0.6, 0.7]);
    const defs = run.definitions.map((d) => (d as { define_metric?: { name: string; globName: string; stepMetric: string; summary: string[] } }).define_metric).filter((d) => d !== undefined);
    assert.ok(defs.some((d) => d.name === 'epoch'));
    assert.ok(defs.some((d) => d.globName === 'val/*' && d.stepMetric === 'epoch'));
    assert.ok(defs.some((d) => d.name === 'loss' && d.summary.includes('min')));
    assert.equal(run.state, 'finished');
  });

  it('system03: 8 steps and system samples with CPU and memory', () => {
    const { root } = copyWandbFixtures('system03');
    const run = readRun(root, 'system03');
    assert.deepEqual(series(run, 'x'), [0, 1, 2, 3, 4, 5, 6, 7]);
    assert.ok(run.system.length >= 3, `${run.system.length} system samples`);
    assert.ok(run.system.some((s) => typeof s.data['cpu/percent'] === 'number'));
    assert.ok(run.system.every((s) => typeof s.data['memory/percent'] === 'number'));
    assert.ok(run.system.every((s, i) => i === 0 || s.ts >= run.system[i - 1]!.ts));
    assert.ok(run.system.some((s) => (s.data['process/rss_bytes'] ?? 0) > 1e6));
  });

  it('resume04: two folders, one run of 10 steps, the second segment a resume', () => {
    const { root } = copyWandbFixtures('resume04');
    const run = readRun(root, 'resume04');
    assert.deepEqual(steps(run), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    assert.deepEqual(series(run, 'loss'), [1, 0.5, 1 / 3, 0.25, 0.2, 0.1, 0.05, 0.1 / 3, 0.025, 0.02]);
    assert.deepEqual(run.inits.map((i) => i.resumed), [false, true]);
    assert.equal(run.inits[0]!.name, 'long-road-4');
    assert.equal(run.state, 'finished');
  });

  it('failed05: state failed with exit code 3', () => {
    const { root } = copyWandbFixtures('failed05');
    const run = readRun(root, 'failed05');
    assert.deepEqual(steps(run), [0, 1, 2]);
    assert.deepEqual([run.state, run.exitCode], ['failed', 3]);
    assert.deepEqual(run.events.filter((e) => e.type === 'exit').map((e) => (e as { state: string }).state), ['failed']);
  });

  it('killed06: header only, the run exists with no data and a note saying why', () => {
    const { root } = copyWandbFixtures('killed06');
    const run = readRun(root, 'killed06');
    assert.equal(run.inits.length, 1);
    assert.equal(run.inits[0]!.id, 'killed06');
    assert.deepEqual(run.history, []);
    assert.equal(run.state, 'crashed');
    assert.match(run.notes.join('\n'), /only W&B's file header/);
  });
});

describe('W&B source: damaged and live files', function () {
  this.timeout(20_000);
  after(removeWandbTemps);

  const base = (n: number): Uint8Array[] => [
    rec.run({ id: 'dmg01', project: 'p', name: 'damaged' }),
    ...Array.from({ length: n }, (_, i) => rec.history(i, { loss: String(1 / (i + 1)) })),
  ];

  it('frames records across blocks (first/middle/last) and pads block tails', () => {
    const log = new LogWriter();
    const big = new Uint8Array(3 * BLOCK_SIZE).map((_, i) => i % 251);
    const records = [new Uint8Array(BLOCK_SIZE - 7 - 7 - 3), big, Uint8Array.of(1, 2, 3)];
    for (const r of records) log.add(r);
    const bytes = log.bytes();
    assert.deepEqual(bytes.subarray(0, 7), WANDB_HEADER);
    const frames = readFrames(bytes.subarray(7), 7);
    assert.equal(frames.corrupt, 0);
    assert.equal(frames.records.length, 3);
    assert.deepEqual(frames.records[1], big);
    assert.equal(frames.next, bytes.length);
  });

  it('a truncated file: what came before the cut is read, and the note says the writer was cut off', () => {
    const dir = tempDir();
    const { file } = writeWandbRun(dir, 'dmg01', base(5));
    const size = readFileSync(file).length;
    truncateSync(file, size - 5);
    const run = readRun(dir, 'dmg01');
    assert.deepEqual(steps(run), [0, 1, 2, 3]);
    assert.equal(run.state, 'crashed');
    assert.match(run.notes.join('\n'), /ends inside a record \(\d+ bytes not read\)/);
  });

  it('a corrupt chunk is skipped and counted; the records after it are read', () => {
    const dir = tempDir();
    const { file } = writeWandbRun(dir, 'dmg01', [...base(5), rec.exit(0)]);
    const bytes = readFileSync(file);
    // Flip a byte inside the third history record's payload.
    const frames = readFrames(bytes.subarray(7), 7);
    let at = 7;
    for (let i = 0; i < 3; i++) at += 7 + frames.records[i]!.length;
    bytes[at + 7 + 3] = bytes[at + 7 + 3]! ^ 0xff;
    writeFileSync(file, bytes);
    const run = readRun(dir, 'dmg01');
    assert.deepEqual(steps(run), [0, 1, 3, 4]);
    assert.equal(run.state, 'finished');
    assert.match(run.notes.join('\n'), /1 corrupt chunk skipped/);
    assert.match(run.problems.join('\n'), /checksum mismatch/);
  });

  it('an unknown record type is skipped with a note; the rest is read', () => {
    const dir = tempDir();
    writeWandbRun(dir, 'dmg01', [...base(2), rec.unknown(150), rec.history(2, { loss: '0.3' }), rec.exit(0)]);
    const run = readRun(dir, 'dmg01');
    assert.deepEqual(steps(run), [0, 1, 2]);
    assert.match(run.notes.join('\n'), /1 record of a type Runlog does not know skipped/);
    assert.equal(run.state, 'finished');
  });

  it('a file that is not W&B, and a folder with no .wandb, each become a run with a note', () => {
    const dir = tempDir();
    const { file } = writeWandbRun(dir, 'dmg01', base(1));
    writeFileSync(file, 'hello, not a record file');
    const { folder } = writeWandbRun(dir, 'empty02', []);
    rmSync(join(folder, 'run-empty02.wandb'));
    const bad = readRun(dir, 'dmg01');
    assert.match(bad.notes.join('\n'), /not a W&B record file/);
    const empty = readRun(dir, 'empty02');
    assert.equal(empty.inits.length, 1);
    assert.match(empty.notes.join('\n'), /holds no \.wandb record file/);
  });

  it('a file still being written: reads on from the last good offset, a half-written record waits', () => {
    const dir = tempDir();
    const { file, log } = writeWandbRun(dir, 'live01', base(2));
    const ref = source.discover([dir]).runs[0]!;
    const reader = source.open(ref);
    const first = reader.read();
    assert.deepEqual(first.events.filter((e) => e.type === 'history').map((e) => (e as { step: number }).step), [0, 1]);
    assert.equal(reader.state(Date.now() / 1000).state, 'running');
    // Half a record arrives, then the rest.
    const chunk = log.add(rec.history(2, { loss: '0.25' }));
    appendFileSync(file, chunk.subarray(0, 10));
    assert.equal(reader.read().events.length, 0);
    appendFileSync(file, chunk.subarray(10));
    appendWandbRecords(file, log, [rec.output('stdout', 'tick'), rec.output('stdout', '\n'), rec.history(3, { loss: '0.2' })]);
    // A reader re-opened from the saved cursor carries on too.
    const reopened = source.open(ref, reader.cursor());
    const more = reopened.read();
    assert.deepEqual(more.events.filter((e) => e.type === 'history').map((e) => (e as { step: number }).step), [2, 3]);
    assert.deepEqual(more.output.map((o) => o.text), ['tick\n']);
    appendWandbRecords(file, log, [rec.exit(0)]);
    reopened.read();
    assert.equal(reopened.state(Date.now() / 1000).state, 'finished');
  });

  it('decodes typed history values of newer W&B (no value_json)', () => {
    // HistoryItem.number (field 6, a double) in place of value_json.
    const payload = new WireWriter().message(2, (h) => h.message(1, (i) => i.string(2, 'x').double(6, 2.5)).message(2, (st) => st.uint(1, 4))).finish();
    const r = decodeRecord(payload);
    assert.equal(r.kind, 'history');
    assert.deepEqual(r.kind === 'history' ? r.items.map((i) => [i.path, i.typed?.value]) : [], [[['x'], 2.5]]);
  });
});
