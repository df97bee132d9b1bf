// The host side of the Media tab on a run the SDK wrote with 1,000 images and a 100,000-row
// table, beside the same queries on a run without media: what the page waits for before its first
// image (the media index) and its first table rows (the table file read, parsed and paged).
// Not the page in a real VS Code (that figure is not taken yet). Run alone: npx tsx bench/media.bench.ts

import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseTable, TableQuery } from '../src/core/media/tableData';
import { Store } from '../src/core/store/Store';
import { median } from './figures';
import { makeStore, removeStores } from '../test/fixtures/runBuilder';

const SDK = resolve(__dirname, '..', 'sdk', 'python');
const PYTHON = process.env.RUNLOG_TEST_SYSTEM_PYTHON ?? '/usr/bin/python3';

const SCRIPT = `
import numpy as np, runlog
rng = np.random.default_rng(0)
run = runlog.init(project="bench", id="media")
for step in range(1000):
    run.log({"img": runlog.Image(rng.integers(0, 255, (32, 32, 3), dtype=np.uint8)), "loss": 1.0 / (step + 1)})
t = runlog.Table(columns=["i", "label", "score"], data=[[i, "row %d" % i, float(i % 997) / 997] for i in range(100000)])
run.log({"table": t})
run.finish()
plain = runlog.init(project="bench", id="plain")
for step in range(1001):
    plain.log({"loss": 1.0 / (step + 1)})
plain.finish()
`;

/** Median wall and CPU milliseconds (CPU too: on a shared, loaded machine wall time is mostly waiting). */
function medianTime(fn: () => unknown, repeat = 7): string {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeat; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    wall.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1000);
  }
  const mid = (xs: number[]) => median(xs).toFixed(1);
  return `${mid(wall)} ms wall, ${mid(cpu)} ms CPU`;
}

export function runMediaBench(): Record<string, number | string> {
  const store = makeStore();
  const t0 = performance.now();
  const py = spawnSync(PYTHON, ['-c', SCRIPT], { env: { ...process.env, PYTHONPATH: SDK, RUNLOG_DIR: store, RUNLOG_QUIET: '1', RUNLOG_SYSTEM_INTERVAL: '0' }, encoding: 'utf8' });
  if (py.status !== 0) throw new Error(py.stderr);
  const writeMs = performance.now() - t0;
  const s = Store.open(store);
  try {
    const media = 'bench/media';
    const plain = 'bench/plain';
    const images = s.listMedia(media, { kind: 'image' }).length;
    const table = s.listMedia(media, { key: 'table' })[0]!;
    const dir = s.getRun(media)!.dir;
    return {
      sdkWriteMs: writeMs,
      images,
      index: medianTime(() => s.listMedia(media)),
      indexNoMedia: medianTime(() => s.listMedia(plain)),
      getRun: medianTime(() => s.getRun(media)),
      getRunNoMedia: medianTime(() => s.getRun(plain)),
      tableBytes: table.size,
      firstTableRows: medianTime(() => new TableQuery(parseTable(readFileSync(join(dir, table.path), 'utf8'))).page(null, '', 0, 200), 5),
      sortedFirstPage: medianTime(() => new TableQuery(parseTable(readFileSync(join(dir, table.path), 'utf8'))).page({ column: 2, descending: true }, '', 0, 200), 5),
    };
  } finally {
    s.close();
    removeStores();
  }
}

if (require.main === module) console.log(JSON.stringify(runMediaBench(), null, 2));
