// Rich media through real numpy, PIL, torch, matplotlib and scikit-learn (Debian's python3-*
// packages under /usr/bin/python3): what log() stores, and what it refuses with a message.

import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, SYSTEM_PYTHON, Workspace, type PyResult } from '../../harness/python';
import type { JsonRecord } from '../../harness/jsonl';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

function media(ws: Workspace, dir: string): JsonRecord[] {
  return ws.events(dir, 'media');
}

/** Each media record's file exists, has the recorded size and sha256, and sits under media/. */
function assertFiles(dir: string, records: JsonRecord[]): void {
  for (const r of records) {
    if (r.kind === 'histogram') continue;
    const path = r.path as string;
    assert.match(path, /^media\/[0-9a-f]{64}\.[a-z0-9.]+$/);
    const data = readFileSync(join(dir, path));
    assert.equal(data.length, r.size);
    assert.equal(createHash('sha256').update(data).digest('hex'), r.sha256);
  }
}

describe('SDK: media (real numpy, PIL, torch, matplotlib, scikit-learn)', function () {
  this.timeout(120_000);
  afterEach(cleanTemps);

  it('stores images from numpy (HxW, HxWx1/3/4, uint8 and float), PIL, torch CxHxW, a file and a matplotlib figure as PNG files PIL reads back', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import numpy as np, torch, runlog
from PIL import Image as PILImage
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
rgb = np.zeros((6, 8, 3), np.uint8); rgb[:, :, 0] = 255
PILImage.fromarray(rgb).save("red.png")
fig = plt.figure(figsize=(2, 1), dpi=50); plt.plot([1, 2, 3])
run = runlog.init(project="p")
run.log({
  "gray": runlog.Image(np.arange(12, dtype=np.uint8).reshape(3, 4) * 20, caption="a <b>gray</b> one"),
  "gray1": runlog.Image(np.ones((3, 4, 1), np.float32)),
  "rgb": runlog.Image(rgb),
  "rgba": runlog.Image(np.full((2, 2, 4), 0.5, np.float64)),
  "pil": runlog.Image(PILImage.new("RGB", (5, 3), (0, 255, 0))),
  "torch": runlog.Image(torch.zeros(3, 4, 7)),
  "file": runlog.Image("red.png"),
  "fig": fig,
  "pyplot": plt,
  "loss": 0.5,
})
run.finish()
`);
    ok(result);
    assert.equal(result.stderr, '');
    const dir = ws.onlyRun('p');
    const recs = media(ws, dir);
    const byKey = Object.fromEntries(recs.map((r) => [r.key, r]));
    assert.deepEqual(Object.keys(byKey).sort(), ['fig', 'file', 'gray', 'gray1', 'pil', 'pyplot', 'rgb', 'rgba', 'torch']);
    for (const r of recs) assert.equal(r.step, 0);
    assert.deepEqual([byKey.gray!.width, byKey.gray!.height, byKey.gray!.caption], [4, 3, 'a <b>gray</b> one']);
    assert.deepEqual([byKey.torch!.width, byKey.torch!.height], [7, 4]);
    assert.deepEqual([byKey.pil!.width, byKey.pil!.height], [5, 3]);
    assert.deepEqual([byKey.fig!.width, byKey.fig!.height], [100, 50]);
    assert.deepEqual([byKey.file!.width, byKey.file!.height, byKey.file!.format], [8, 6, 'png']);
    assertFiles(dir, recs);
    assert.deepEqual(ws.events(dir, 'history').map((h) => h.data), [{ loss: 0.5 }]);
    // PIL decodes what our encoder wrote, pixel for pixel.
    const check = await ws.py(`
import json, sys
from PIL import Image
recs = [json.loads(l) for l in open(sys.argv[1] + "/events.jsonl") if '"media"' in l]
for r in recs:
    im = Image.open(sys.argv[1] + "/" + r["path"])
    print(r["key"], im.mode, im.size, im.getpixel((0, 0)))
`.replaceAll('sys.argv[1]', JSON.stringify(dir)), {}, 'check.py');
    ok(check);
    const lines = Object.fromEntries(check.stdout.trim().split('\n').map((l) => [l.split(' ')[0], l.slice(l.indexOf(' ') + 1)]));
    assert.equal(lines.gray, 'L (4, 3) 0');
    assert.equal(lines.gray1, 'L (4, 3) 255');
    assert.equal(lines.rgb, 'RGB (8, 6) (255, 0, 0)');
    assert.equal(lines.rgba, 'RGBA (2, 2) (128, 128, 128, 128)');
    assert.equal(lines.pil, 'RGB (5, 3) (0, 255, 0)');
    assert.equal(lines.torch, 'RGB (7, 4) (0, 0, 0)');
  });

  it('refuses bad images, ragged tables and all-NaN histograms with the key and step, keeping the rest of the step', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import numpy as np, runlog
run = runlog.init(project="p")
run.log({"a": 1.0})
run.log({
  "huge": runlog.Image(np.zeros((8000, 7000), np.uint8)),
  "shape": runlog.Image(np.zeros((4, 4, 5), np.uint8)),
  "dtype": runlog.Image(np.array([["x", "y"]])),
  "range": runlog.Image(np.full((2, 2), 300, np.int32)),
  "ragged": runlog.Table(columns=["a", "b"], data=[[1, 2], [3]]),
  "nans": runlog.Histogram([float("nan")] * 5),
  "bins": runlog.Histogram([1, 2], num_bins=513),
  "good": runlog.Histogram(np.array([1.0, 2.0, np.nan, np.inf, 3.0]), num_bins=4),
  "loss": 0.25,
})
run.finish()
`);
    ok(result);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('RunlogWarning'));
    const expect: Record<string, RegExp> = {
      huge: /'huge' at step 1: Image: image of 7000x8000 is 56.0 megapixels; the limit is 50/,
      shape: /'shape' at step 1: Image: an image array must be HxW or HxWxC with C of 1, 3 or 4; got shape \(4, 4, 5\)/,
      dtype: /'dtype' at step 1: Image: pixels of dtype <U1 are not numbers/,
      range: /'range' at step 1: Image: integer pixel values must lie in 0\.\.255; found 300\.\.300/,
      ragged: /'ragged' at step 1: Table: row 1 has 1 values, the table has 2 columns \['a', 'b'\]/,
      nans: /'nans' at step 1: Histogram: all 5 values are NaN or infinite/,
      bins: /'bins' at step 1: Histogram: num_bins must be an integer from 1 to 512; got 513/,
    };
    for (const [key, re] of Object.entries(expect)) assert.ok(warnings.some((w) => re.test(w)), `no warning for ${key} in:\n${result.stderr}`);
    assert.equal(warnings.length, Object.keys(expect).length);
    const dir = ws.onlyRun('p');
    const recs = media(ws, dir);
    assert.deepEqual(recs.map((r) => r.key), ['good']);
    assert.deepEqual(recs[0]!.counts, [1, 0, 1, 1]);
    assert.equal(recs[0]!.nonfinite, 2);
    assert.deepEqual(ws.events(dir, 'history').map((h) => h.data), [{ a: 1.0 }, { loss: 0.25 }]);
    // Nothing half-written: the refused values left no file (the histogram kept is inline).
    assert.equal(existsSync(join(dir, 'media')), false);
  });

  it('stores tables (lists, DataFrame-like, add_data/add_column, image cells) and plots as one JSON file each', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import numpy as np, runlog
run = runlog.init(project="p")
t = runlog.Table(columns=["id", "img", "label"])
for i in range(3):
    t.add_data(i, runlog.Image(np.full((2, 2), i * 100, np.uint8), caption="c%d" % i), "<script>x</script>" if i == 1 else "ok")
t.add_column("score", [0.5, None, True])
print(t.get_column("id"), t.get_column("score"))
try:
    t.add_data(1, 2)
except ValueError as e:
    print("ValueError", e)
run.log({"preds": t, "arr": runlog.Table(columns=["x", "y"], data=np.arange(6).reshape(3, 2))})
run.log({"line": runlog.plot.line(runlog.Table(data=[[1, 2], [2, 4]], columns=["x", "y"]), "x", "y", title="T"),
         "cm": runlog.plot.confusion_matrix(y_true=[0, 1, 1], preds=[0, 1, 0], class_names=["cat", "dog"]),
         "roc": runlog.plot.roc_curve([0, 1, 1, 0], [[0.9, 0.1], [0.2, 0.8], [0.4, 0.6], [0.6, 0.4]], labels=["no", "yes"])})
run.finish()
`);
    ok(result);
    assert.match(result.stdout, /^\[0, 1, 2\] \[0\.5, None, True\]\nValueError runlog: Table\.add_data\(\) got 2 values for 4 columns/);
    const dir = ws.onlyRun('p');
    const recs = media(ws, dir);
    assertFiles(dir, recs);
    const preds = recs.find((r) => r.key === 'preds')!;
    assert.deepEqual([preds.kind, preds.columns, preds.rows, preds.step], ['table', ['id', 'img', 'label', 'score'], 3, 0]);
    const body = JSON.parse(readFileSync(join(dir, preds.path as string), 'utf8')) as { columns: string[]; data: unknown[][] };
    assert.equal(body.data[1]![2], '<script>x</script>');
    const cell = body.data[2]![1] as Record<string, unknown>;
    assert.equal(cell._type, 'image-file');
    assert.equal(cell.caption, 'c2');
    assert.ok(existsSync(join(dir, cell.path as string)));
    const arr = recs.find((r) => r.key === 'arr')!;
    assert.deepEqual(JSON.parse(readFileSync(join(dir, arr.path as string), 'utf8')).data, [[0, 1], [2, 3], [4, 5]]);
    const cm = recs.find((r) => r.key === 'cm')!;
    assert.deepEqual(cm.chart, { type: 'confusion_matrix', x: 'Predicted', y: 'Actual', value: 'nPredictions', title: 'Confusion Matrix Curve' });
    assert.deepEqual(JSON.parse(readFileSync(join(dir, cm.path as string), 'utf8')).data, [['cat', 'cat', 1], ['cat', 'dog', 0], ['dog', 'cat', 1], ['dog', 'dog', 1]]);
    const roc = recs.find((r) => r.key === 'roc')!;
    assert.deepEqual([roc.step, (roc.chart as JsonRecord).x, (roc.chart as JsonRecord).y, (roc.chart as JsonRecord).series], [1, 'fpr', 'tpr', 'class']);
    const rocRows = JSON.parse(readFileSync(join(dir, roc.path as string), 'utf8')).data as [string, number, number][];
    assert.deepEqual(rocRows.filter((r) => r[0] === 'yes').at(-1), ['yes', 1, 1]);
  });

  it('stores boxes (both position forms, pixel domain, captions, scores) and masks (PNG of class ids) as W&B documents them; bad ones refused before any file is written', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import numpy as np, runlog
run = runlog.init(project="p")
img = np.zeros((40, 60, 3), np.uint8)
other = np.full((40, 60, 3), 7, np.uint8)
seg = np.zeros((40, 60), np.int64)
seg[20:, :] = 3
boxes = {"pred": {"box_data": [
    {"position": {"minX": 0.1, "minY": 0.2, "maxX": 0.5, "maxY": 0.6}, "class_id": 0, "box_caption": "cat", "scores": {"p": np.float32(0.5)}},
    {"position": {"middle": [np.int64(30), 20], "width": 10, "height": 8}, "domain": "pixel", "class_id": np.int64(1)}],
  "class_labels": {0: "cat", 1: "dog"}},
  "gt": {"box_data": [{"position": {"minX": 0, "minY": 0, "maxX": 1, "maxY": 1}, "class_id": 2}]}}
run.log({"det": runlog.Image(img, boxes=boxes, masks={"seg": {"mask_data": seg, "class_labels": {3: "road"}}},
                             classes=[{"id": 2, "name": "tree"}])})
run.log({
  "pos": runlog.Image(other, boxes={"b": {"box_data": [{"position": {"x": 1, "y": 2}}]}}),
  "inv": runlog.Image(other, boxes={"b": {"box_data": [{"position": {"minX": 0.5, "minY": 0, "maxX": 0.1, "maxY": 1}}]}}),
  "dom": runlog.Image(other, boxes={"b": {"box_data": [{"position": {"minX": 0, "minY": 0, "maxX": 1, "maxY": 1}, "domain": "percent"}]}}),
  "ids": runlog.Image(other, masks={"m": {"mask_data": np.full((4, 4), 300)}}),
  "mshape": runlog.Image(other, masks={"m": {"mask_data": np.zeros((4, 4, 3))}}),
  "loss": 1.0,
})
run.finish()
`);
    ok(result);
    const warnings = result.stderr.split('\n').filter((l) => l.includes('RunlogWarning'));
    const expect: Record<string, RegExp> = {
      pos: /'pos' at step 1: Image: boxes 'b' box 0 position needs minX, minY, maxX, maxY or middle, width, height; got keys \['x', 'y'\]/,
      inv: /'inv' at step 1: Image: boxes 'b' box 0 position has maxX < minX/,
      dom: /'dom' at step 1: Image: boxes 'b' box 0 domain must be None \(fractions\) or 'pixel'; got 'percent'/,
      ids: /'ids' at step 1: Image: mask 'm': class ids must lie in 0\.\.255; found 300\.\.300/,
      mshape: /'mshape' at step 1: Image: mask 'm': mask_data must be a 2-D array of class ids; got shape \(4, 4, 3\)/,
    };
    for (const [key, re] of Object.entries(expect)) assert.ok(warnings.some((w) => re.test(w)), `no warning for ${key} in:\n${result.stderr}`);
    assert.equal(warnings.length, Object.keys(expect).length);
    const dir = ws.onlyRun('p');
    const recs = media(ws, dir);
    assert.deepEqual(recs.map((r) => r.key), ['det']);
    const det = recs[0]!;
    assert.deepEqual(det.boxes, {
      pred: {
        box_data: [
          { position: { minX: 0.1, minY: 0.2, maxX: 0.5, maxY: 0.6 }, class_id: 0, box_caption: 'cat', scores: { p: 0.5 } },
          { position: { middle: [30, 20], width: 10, height: 8 }, class_id: 1, domain: 'pixel' },
        ],
        class_labels: { 0: 'cat', 1: 'dog' },
      },
      gt: { box_data: [{ position: { minX: 0, minY: 0, maxX: 1, maxY: 1 }, class_id: 2 }], class_labels: { 2: 'tree' } },
    });
    const seg = (det.masks as Record<string, JsonRecord>).seg!;
    assert.deepEqual([seg.width, seg.height, seg.class_labels], [60, 40, { 3: 'road' }]);
    assertFiles(dir, [det, { ...seg, kind: 'image' }]);
    // PIL reads the mask back: one channel of class ids, 3 in the bottom half.
    const check = await ws.py(`
from PIL import Image
m = Image.open(${JSON.stringify(join(dir, seg.path as string))})
print(m.mode, m.size, m.getpixel((5, 5)), m.getpixel((5, 30)))
`);
    ok(check);
    assert.equal(check.stdout.trim(), 'L (60, 40) 0 3');
    // The refused images (other pixels) wrote nothing: only the image and its mask are in media/.
    assert.equal(readdirSync(join(dir, 'media')).length, 2);
  });

  it('watch() logs gradient and parameter histograms of a real torch model every log_freq batches; unwatch() stops them', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import torch, runlog
torch.manual_seed(0)
run = runlog.init(project="p")
model = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
runlog.watch(model, log="all", log_freq=2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for step in range(6):
    if step == 4:
        runlog.unwatch(model)
    loss = model(torch.randn(8, 3)).pow(2).mean()
    opt.zero_grad(); loss.backward(); opt.step()
    run.log({"loss": loss.item()})
run.finish()
`);
    ok(result);
    assert.equal(result.stderr, '');
    const recs = media(ws, ws.onlyRun('p'));
    const keys = (step: number) => recs.filter((r) => r.step === step).map((r) => r.key).sort();
    const names = ['0.bias', '0.weight', '2.bias', '2.weight'];
    assert.deepEqual(keys(0), []);
    assert.deepEqual(keys(1), [...names.map((n) => `gradients/${n}`), ...names.map((n) => `parameters/${n}`)].sort());
    assert.deepEqual(keys(3), keys(1));
    assert.deepEqual(keys(5), []);
    for (const r of recs) {
      assert.equal(r.kind, 'histogram');
      assert.equal((r.counts as number[]).length, 64);
    }
    const w = recs.find((r) => r.key === 'parameters/0.weight' && r.step === 1)!;
    assert.equal((w.counts as number[]).reduce((a, b) => a + b, 0), 12);
  });

  it('sklearn.plot_classifier/plot_regressor/plot_clusterer log their charts, computed with scikit-learn', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    const result = await ws.py(`
import numpy as np, runlog
from sklearn.datasets import make_classification, make_regression, make_blobs
from sklearn.linear_model import LogisticRegression, Ridge
from sklearn.cluster import KMeans
run = runlog.init(project="p")
X, y = make_classification(n_samples=120, n_features=5, random_state=0)
clf = LogisticRegression().fit(X[:80], y[:80])
runlog.sklearn.plot_classifier(clf, X[:80], X[80:], y[:80], y[80:], clf.predict(X[80:]), clf.predict_proba(X[80:]), ["a", "b"], is_binary=True)
Xr, yr = make_regression(n_samples=60, n_features=3, random_state=0)
runlog.sklearn.plot_regressor(Ridge().fit(Xr[:40], yr[:40]), Xr[:40], Xr[40:], yr[:40], yr[40:])
Xc, _ = make_blobs(n_samples=60, centers=3, random_state=0)
km = KMeans(n_clusters=3, n_init=2, random_state=0).fit(Xc)
runlog.sklearn.plot_clusterer(km, Xc, km.labels_)
run.log({"done": 1})
run.finish()
`);
    ok(result);
    const recs = media(ws, ws.onlyRun('p'));
    assert.deepEqual(
      [...new Set(recs.map((r) => r.key))].sort(),
      ['calibration_curve', 'class_proportions', 'confusion_matrix', 'elbow_curve', 'feature_importances', 'learning_curve', 'outlier_candidates', 'pr', 'residuals', 'roc', 'silhouette_plot', 'summary_metrics'],
    );
    for (const r of recs) assert.equal(r.kind, 'plot');
  });

  it('stores audio from an array as WAV, video and HTML files as given', async () => {
    const ws = new Workspace(SYSTEM_PYTHON);
    ws.script('<p>hi</p>', 'page.html');
    const result = await ws.py(`
import numpy as np, runlog
open("clip.mp4", "wb").write(b"\\x00\\x00\\x00\\x18ftypmp42")
run = runlog.init(project="p")
run.log({"tone": runlog.Audio(np.sin(np.linspace(0, 100, 800)), sample_rate=8000, caption="beep"),
         "vid": runlog.Video("clip.mp4"), "page": runlog.Html("page.html"), "raw": runlog.Html("<b>x</b>"),
         "novid": runlog.Video(np.zeros((2, 3, 4, 4)))})
run.finish()
`);
    ok(result);
    assert.match(result.stderr, /'novid' at step 0: Video: Video takes a file path here/);
    const dir = ws.onlyRun('p');
    const recs = media(ws, dir);
    assertFiles(dir, recs);
    const tone = recs.find((r) => r.key === 'tone')!;
    assert.deepEqual([tone.kind, tone.format, tone.sample_rate, tone.duration, tone.caption], ['audio', 'wav', 8000, 0.1, 'beep']);
    assert.equal(readFileSync(join(dir, tone.path as string)).subarray(0, 4).toString(), 'RIFF');
    assert.equal(readFileSync(join(dir, recs.find((r) => r.key === 'raw')!.path as string), 'utf8'), '<b>x</b>');
    assert.deepEqual(recs.map((r) => r.kind).sort(), ['audio', 'html', 'html', 'video']);
  });
});
