import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore, snapshot } from '../../fixtures/storeSnapshot';
import { compileFilter } from '../../../src/core/query/filter';
import { SCHEMA_VERSION } from '../../../src/core/index/schema';
import type { OpenProgress, Store } from '../../../src/core/store/Store';

const FILTERS = ['tag:baseline', 'config.lr>0.01', 'config.opt.name:adam', 'loss<0.3', 'best>=3 tag~tun', 'state:finished config.lr<=0.05'];

function store(): string {
  const dir = makeStore();
  for (let i = 0; i < 300; i++) {
    new RunBuilder(dir, 'p', `run${String(i).padStart(5, '0')}`)
      .init({ tags: i % 3 ? ['tuned'] : ['Baseline'] })
      .config({ lr: 0.001 * i, opt: { name: i % 2 ? 'adam' : 'sgd' } })
      .history(0, { loss: 1 / (i + 1) })
      .summary(i % 4 ? {} : { best: i })
      .exit(0)
      .write();
  }
  return dir;
}

/** Turns a schema-9 index into what Runlog wrote before: schema 8, no run_values. */
function downgradeTo7(dir: string): void {
  const db = new Database(join(dir, 'index.sqlite'));
  db.exec('ALTER TABLE runs DROP COLUMN closed_sec; ALTER TABLE runs DROP COLUMN open_start;'); // schema 10's
  db.exec('DROP TABLE run_values; DROP TABLE index_state; DROP INDEX runs_by_project_state; PRAGMA user_version = 8;');
  db.close();
}

function inIndex(dir: string, sql: string): unknown {
  const db = new Database(join(dir, 'index.sqlite'), { readonly: true });
  try {
    return db.prepare(sql).pluck().get();
  } finally {
    db.close();
  }
}

function sameAsPredicates(s: Store, when: string): void {
  const all = s.listRuns(undefined);
  for (const filter of FILTERS) {
    const expected = all.filter(compileFilter(filter)).map((r) => r.key).sort();
    assert.deepEqual(s.listRuns(undefined, { filter }).map((r) => r.key).sort(), expected, `${filter} ${when}`);
    assert.equal(s.count('p', filter), expected.length, `count of ${filter} ${when}`);
  }
}

describe('schema 9: filter values in run_values, migrated from schema 8', function () {
  this.timeout(120_000);
  afterEach(removeStores);

  it('an index of schema 8 keeps its rows; the editor fills the values in the background and filters agree throughout', async () => {
    const dir = store();
    const first = openTestStore(dir);
    const before = snapshot(first);
    first.close();
    downgradeTo7(dir);

    const s = openTestStore(dir, { openPass: 'background' });
    assert.equal(inIndex(dir, 'PRAGMA user_version'), SCHEMA_VERSION);
    assert.ok(SCHEMA_VERSION >= 9);
    // Migrated, not rebuilt: every row is there at once, and filters read the old tables meanwhile.
    assert.equal(inIndex(dir, "SELECT value FROM index_state WHERE key = 'values_filled_to'"), 0);
    assert.equal(s.count(), 300);
    sameAsPredicates(s, 'before the values are filled');
    const phases = new Set<string>();
    s.onOpenProgress((p: OpenProgress | undefined) => p && phases.add(p.phase));
    await s.opened;
    assert.ok(phases.has('values'), `phases: ${[...phases].join(', ')}`);
    assert.equal(inIndex(dir, 'SELECT count(*) FROM index_state'), 0, 'every run has its values');
    assert.equal(inIndex(dir, 'SELECT count(DISTINCT run) FROM run_values'), 300);
    sameAsPredicates(s, 'after');
    assert.deepEqual(snapshot(s), before);
    s.close();
  });

  it('a store opened at once (the CLI) fills them before it answers; a new run gets its values as it is read', () => {
    const dir = store();
    openTestStore(dir).close();
    downgradeTo7(dir);
    const s = openTestStore(dir);
    assert.equal(inIndex(dir, 'SELECT count(*) FROM index_state'), 0);
    sameAsPredicates(s, 'after a synchronous open');
    new RunBuilder(dir, 'p', 'late0001').init({ tags: ['baseline'] }).config({ lr: 0.5, opt: { name: 'adam' } }).history(0, { loss: 0.1 }).exit(0).write();
    s.sync();
    assert.deepEqual(s.listRuns('p', { filter: 'config.lr>0.4 tag:baseline loss<0.2' }).map((r) => r.id), ['late0001']);
    sameAsPredicates(s, 'with a new run');
    s.close();
  });
});
