import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { FIXTURE_T0, RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore, snapshot } from '../../fixtures/storeSnapshot';
import { compileFilter } from '../../../src/core/query/filter';
import { sortRuns } from '../../../src/core/query/sort';
import { SCHEMA_VERSION } from '../../../src/core/index/schema';
import type { Store } from '../../../src/core/store/Store';

const NOW = FIXTURE_T0 + 10_000;
const LIVE = 5005;
const LIVE_RESUMED = 5006;

/** Finished, failed, killed, crashed, running and resumed runs (several segments, one of them open). */
function store(): string {
  const dir = makeStore();
  const lengths = [0, 10, 59.5, 60, 60.25, 100, 3599.9, 3600, 3601];
  lengths.forEach((d, i) => new RunBuilder(dir, i % 2 ? 'a' : 'b', `fin${String(i).padStart(5, '0')}`).at(FIXTURE_T0 + i * 10).init().exit(i % 3 ? 0 : 1, undefined, FIXTURE_T0 + i * 10 + d).write());
  // Two segments, the first dying without an exit: 30 + 40 s.
  new RunBuilder(dir, 'a', 'res00001').init({ ts: FIXTURE_T0 }).heartbeat(undefined, FIXTURE_T0 + 30).init({ ts: FIXTURE_T0 + 1000, resumed: true }).exit(0, 'finished', FIXTURE_T0 + 1040).write();
  // Three segments of fractional lengths (0.1 + 0.2 + 0.3 is not 0.6 in floating point).
  new RunBuilder(dir, 'a', 'res00002').init({ ts: FIXTURE_T0 }).exit(0, 'finished', FIXTURE_T0 + 0.1)
    .init({ ts: FIXTURE_T0 + 100, resumed: true }).exit(0, 'finished', FIXTURE_T0 + 100.2)
    .init({ ts: FIXTURE_T0 + 200, resumed: true }).exit(0, 'finished', FIXTURE_T0 + 200.3).write();
  // Resumed and running now: 45 s closed, the open segment started 20 s ago.
  new RunBuilder(dir, 'b', 'res00003').init({ ts: FIXTURE_T0 }).exit(0, 'finished', FIXTURE_T0 + 45).init({ ts: NOW - 20, resumed: true, pid: LIVE_RESUMED }).heartbeat(undefined, NOW - 1).write();
  // Running for 50 s.
  new RunBuilder(dir, 'b', 'live0001').init({ ts: NOW - 50, pid: LIVE }).heartbeat(undefined, NOW - 1).write();
  // Crashed (its process is gone, no exit) after 40 s; killed by an edit.
  new RunBuilder(dir, 'a', 'dead0001').init({ ts: FIXTURE_T0 }).heartbeat(3, FIXTURE_T0 + 40).write();
  new RunBuilder(dir, 'b', 'kill0001').init({ ts: FIXTURE_T0 }).heartbeat(3, FIXTURE_T0 + 70).at(FIXTURE_T0 + 75).edit({ type: 'state', state: 'killed' }).write();
  return dir;
}

const FILTERS = [
  'duration>0', 'duration>=0', 'duration=0', 'duration!=0', 'duration>60', 'duration>=60', 'duration<60', 'duration<=60', 'duration=60', 'duration:60',
  'duration>59.5', 'duration<0.6', 'duration=0.6', 'duration>65', 'duration<=70', 'duration>=3600', 'duration<3600', 'duration!=3600', 'duration>1e9',
  // At the running runs' lengths (50 and 65 s at first, 65 and 80 s 15 s later).
  'duration>=50', 'duration>50', 'duration=65', 'duration>=65', 'duration<65', 'duration=80', 'duration<80', 'duration<=80',
  'duration>60 state:running', 'duration>10 duration<100', 'duration>30 project:a',
];

/** The filter in SQL selects (and counts) what the JavaScript definition selects over every run. */
function sameAsPredicates(s: Store, when: string): void {
  const all = s.listRuns(undefined);
  for (const filter of FILTERS) {
    const expected = all.filter(compileFilter(filter)).map((r) => r.key).sort();
    assert.deepEqual(s.listRuns(undefined, { filter }).map((r) => r.key).sort(), expected, `${filter} ${when}`);
    assert.equal(s.count(undefined, filter), expected.length, `count of ${filter} ${when}`);
  }
  for (const descending of [true, false]) {
    for (const limit of [1, 3, 7, 100]) {
      const expected = sortRuns([...all], 'duration', descending).slice(0, limit).map((r) => r.key);
      assert.deepEqual(s.listRuns(undefined, { sort: 'duration', descending, limit }).map((r) => r.key), expected, `sort by duration ${descending ? 'desc' : 'asc'} limit ${limit} ${when}`);
    }
  }
  const filtered = sortRuns(all.filter(compileFilter('duration>10')), 'duration', true).slice(0, 4).map((r) => r.key);
  assert.deepEqual(s.listRuns(undefined, { filter: 'duration>10', sort: 'duration', descending: true, limit: 4 }).map((r) => r.key), filtered, `filtered and sorted ${when}`);
}

describe('duration in SQL: filter and sort', function () {
  this.timeout(60_000);
  afterEach(removeStores);

  it('selects and orders the runs the JavaScript definition does: finished, crashed, killed, resumed and running, as the clock moves', () => {
    const clock = { now: NOW };
    const s = openTestStore(store(), { clock, alive: new Set([LIVE, LIVE_RESUMED]) });
    const duration = (id: string) => s.listRuns(undefined, { filter: `id=${id}` })[0]!.durationSec;
    assert.equal(duration('res00001'), 70);
    assert.equal(duration('res00003'), 65);
    assert.equal(duration('live0001'), 50);
    assert.equal(s.listRuns(undefined, { filter: 'id=dead0001' })[0]!.state, 'crashed');
    assert.equal(s.listRuns(undefined, { filter: 'id=kill0001' })[0]!.state, 'killed');
    const over60 = () => s.listRuns(undefined, { filter: 'duration>60 state:running', sort: 'name' }).map((r) => r.id);
    assert.deepEqual(over60(), ['res00003']);
    sameAsPredicates(s, 'at first');

    clock.now += 15; // the running runs count on: live0001 65 s, res00003 80 s
    assert.deepEqual(over60(), ['live0001', 'res00003']);
    assert.equal(s.count(undefined, 'duration>60 state:running'), 2);
    assert.deepEqual(s.listRuns(undefined, { sort: 'duration', descending: true, filter: 'state:running', limit: 1 }).map((r) => r.id), ['res00003']);
    sameAsPredicates(s, '15 s later');

    clock.now += 3600;
    assert.deepEqual(s.listRuns(undefined, { sort: 'duration', descending: true, limit: 2 }).map((r) => r.id), ['res00003', 'live0001']);
    sameAsPredicates(s, 'an hour later');
    s.close();
  });

  it('is SQL: the explorer names no term of a duration filter as not SQL', () => {
    const s = openTestStore(store(), { clock: { now: NOW } });
    assert.deepEqual(s.filterNotSql('duration>5'), []);
    assert.deepEqual(s.filterNotSql('runtime>5 duration<=3600 tag:tuned'), []);
    s.close();
  });

  it('an index of schema 9 keeps its rows and gets each run its duration at the migration', () => {
    const dir = store();
    const clock = { now: NOW };
    const alive = new Set([LIVE, LIVE_RESUMED]);
    const first = openTestStore(dir, { clock, alive });
    const before = snapshot(first);
    first.close();
    // What Runlog wrote before: schema 9, no duration columns.
    const db = new Database(join(dir, 'index.sqlite'));
    db.exec('ALTER TABLE runs DROP COLUMN closed_sec; ALTER TABLE runs DROP COLUMN open_start; PRAGMA user_version = 9;');
    const rids = db.prepare('SELECT rid FROM runs ORDER BY rid').pluck().all();
    db.close();

    const s = openTestStore(dir, { clock, alive, syncOnOpen: false });
    const index = new Database(join(dir, 'index.sqlite'), { readonly: true });
    assert.equal(index.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.equal(SCHEMA_VERSION, 10);
    assert.deepEqual(index.prepare('SELECT rid FROM runs ORDER BY rid').pluck().all(), rids, 'migrated, not rebuilt: the same rows');
    // Filled by the migration itself, not by a later ingest pass.
    assert.deepEqual(index.prepare("SELECT id, closed_sec, open_start FROM runs WHERE id IN ('res00001', 'res00003', 'live0001') ORDER BY id").all(), [
      { id: 'live0001', closed_sec: 0, open_start: NOW - 50 },
      { id: 'res00001', closed_sec: 70, open_start: null },
      { id: 'res00003', closed_sec: 45, open_start: NOW - 20 },
    ]);
    index.close();
    assert.equal(s.count(), 15);
    sameAsPredicates(s, 'after the migration');
    assert.deepEqual(snapshot(s), before);
    s.close();
  });
});
