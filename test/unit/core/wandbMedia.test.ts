// W&B media values as format 1.1 media records, for the value shapes the real fixtures do not
// hold (lists of images, audio, video, html, packed histogram bins) and for bad ones. The shapes
// are those W&B's SDK writes (wandb/sdk/data_types); the real images, histograms and a table are
// checked on the media002 fixture in wandbSource.test.ts.
import * as assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MediaRecord } from '../../../src/core/format/records';
import { checkEventRecord } from '../../../src/core/format/records';
import { readWholeRun } from '../../../src/core/sources/normalize';
import { WandbSource } from '../../../src/core/sources/wandb/WandbSource';
import { rec, removeWandbTemps, tempDir, writeWandbRun } from '../../fixtures/wandbFiles';

const source = new WandbSource();

function readMedia(values: Record<string, unknown>[], files: Record<string, string> = {}): { media: MediaRecord[]; problems: string[] } {
  const dir = tempDir();
  const run = writeWandbRun(join(dir, 'wandb'), 'media001', [
    rec.run({ id: 'media001', project: 'p' }),
    ...values.map((v, step) => rec.history(step, Object.fromEntries(Object.entries(v).map(([k, x]) => [k, JSON.stringify(x)])))),
    rec.exit(0),
  ]);
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(run.folder, 'files', path, '..'), { recursive: true });
    writeFileSync(join(run.folder, 'files', path), text);
  }
  const { runs } = source.discover([dir]);
  const read = readWholeRun(source, runs[0]!, Date.now() / 1000 + 3600);
  const media = read.events.filter((e): e is MediaRecord => e.type === 'media');
  // Every record made is one a Runlog reader accepts.
  for (const m of media) assert.equal(checkEventRecord(JSON.parse(JSON.stringify(m)))?.ok, true, JSON.stringify(m));
  return { media, problems: read.problems };
}

describe('W&B source: media values as media records', function () {
  this.timeout(20_000);
  after(removeWandbTemps);

  it('a list of images (images/separated) is one record per file, in order, with its caption and size', () => {
    const { media, problems } = readMedia(
      [{ batch: { _type: 'images/separated', width: 8, height: 4, format: 'png', count: 2, filenames: ['media/images/batch_0_a.png', 'media/images/batch_0_b.png'], captions: ['cat', 'dog'] } }],
      { 'media/images/batch_0_a.png': 'x'.repeat(10), 'media/images/batch_0_b.png': 'y'.repeat(12) },
    );
    assert.deepEqual(
      media.map((m) => [m.key, m.step, m.index, m.kind, m.path, m.caption, m.size, m.width, m.height, m.format]),
      [
        ['batch', 0, 0, 'image', 'media/images/batch_0_a.png', 'cat', 10, 8, 4, 'png'],
        ['batch', 0, 1, 'image', 'media/images/batch_0_b.png', 'dog', 12, 8, 4, 'png'],
      ],
    );
    assert.deepEqual(problems, []);
  });

  it("an image's boxes are read from W&B's boxes2D file into the record; its masks name their PNGs under media/", () => {
    const boxData = { box_data: [{ position: { minX: 0.1, minY: 0.2, maxX: 0.5, maxY: 0.6 }, class_id: 1, box_caption: 'cat', scores: { acc: 0.9 } }], class_labels: { 1: 'cat' } };
    const { media, problems } = readMedia(
      [{
        img: {
          _type: 'image-file', path: 'media/images/img_0_a.png', format: 'png', width: 8, height: 8, size: 3,
          boxes: { predictions: { _type: 'boxes2D', path: 'media/metadata/boxes2D/img_0_b.boxes2D.json', sha256: 'bb', size: 100 }, gone: { _type: 'boxes2D', path: 'media/metadata/boxes2D/missing.json' } },
          masks: { truth: { _type: 'mask', path: 'media/images/mask/img_0_c.mask.png', sha256: 'cc', size: 7 }, outside: { _type: 'mask', path: '../x.png' } },
        },
      }],
      { 'media/metadata/boxes2D/img_0_b.boxes2D.json': JSON.stringify(boxData) },
    );
    assert.equal(media.length, 1);
    assert.deepEqual(media[0]!.boxes, { predictions: boxData });
    assert.deepEqual(media[0]!.masks, { truth: { path: 'media/images/mask/img_0_c.mask.png', size: 7, sha256: 'cc' } });
    assert.deepEqual(problems, []);
  });

  it('audio, a list of audio clips, video and html keep their files, formats and fields', () => {
    const { media } = readMedia([
      {
        clip: { _type: 'audio-file', path: 'media/audio/clip_0_1.wav', sha256: 'ab', size: 44, caption: 'hello' },
        clips: { _type: 'audio', count: 2, audio: [{ _type: 'audio-file', path: 'media/audio/c_0_a.wav', size: 5 }, { _type: 'audio-file', path: 'media/audio/c_0_b.mp3', size: 6 }], sampleRates: [16000, 8000], durations: [1.5, 2], captions: ['a', 'b'] },
        movie: { _type: 'video-file', path: 'media/videos/movie_0_x.mp4', size: 900, width: 64, height: 48 },
        page: { _type: 'html-file', path: 'media/html/page_0_y.html', size: 30 },
      },
    ]);
    const by = (key: string): MediaRecord[] => media.filter((m) => m.key === key);
    assert.deepEqual(by('clip').map((m) => [m.kind, m.path, m.format, m.caption, m.sha256, m.size]), [['audio', 'media/audio/clip_0_1.wav', 'wav', 'hello', 'ab', 44]]);
    assert.deepEqual(by('clips').map((m) => [m.index, m.format, m.sample_rate, m.duration, m.caption]), [[0, 'wav', 16000, 1.5, 'a'], [1, 'mp3', 8000, 2, 'b']]);
    assert.deepEqual(by('movie').map((m) => [m.kind, m.format, m.width, m.height]), [['video', 'mp4', 64, 48]]);
    assert.deepEqual(by('page').map((m) => [m.kind, m.format, m.path]), [['html', 'html', 'media/html/page_0_y.html']]);
  });

  it("a histogram with packed bins (W&B's TensorBoard import) gets its edges", () => {
    const { media } = readMedia([{ h: { _type: 'histogram', values: [1, 2, 3], packedBins: { min: -1, size: 0.5, count: 3 } } }]);
    assert.deepEqual(media.map((m) => [m.bins, m.counts]), [[[-1, -0.5, 0, 0.5], [1, 2, 3]]]);
  });

  it('a value naming a file outside files/media, a broken histogram and a type with no view are noted once per key, never shown', () => {
    const escape = { _type: 'image-file', path: '../../secret.png', width: 1, height: 1 };
    const { media, problems } = readMedia([
      { bad: escape, abs: { ...escape, path: '/etc/passwd' }, h: { _type: 'histogram', values: [1, 2], bins: [0, 1] }, cloud: { _type: 'object3D-file', path: 'media/object3D/c.pts.json' }, ok: { _type: 'histogram', values: [1], bins: [0, 1] } },
      { bad: escape, cloud: { _type: 'object3D-file', path: 'media/object3D/d.pts.json' } },
    ]);
    assert.deepEqual(media.map((m) => m.key), ['ok']);
    assert.equal(problems.length, 4, problems.join('\n'));
    assert.match(problems.join('\n'), /media "bad" \(W&B image-file\) names "\.\.\/\.\.\/secret\.png", not a file under the run's files\/media\/: not shown/);
    assert.match(problems.join('\n'), /media "abs" .*"\/etc\/passwd"/);
    assert.match(problems.join('\n'), /media "h" \(W&B histogram\) has no bins with one more edge than counts/);
    assert.match(problems.join('\n'), /media "cloud" of W&B type object3D-file is not shown \(Runlog has no view for it\)/);
  });
});
