import * as assert from 'node:assert/strict';
import { FIXTURE_T0, RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';
import { compileFilter, FilterSyntaxError, parseFilter } from '../../../src/core/query/filter';
import type { Store } from '../../../src/core/store/Store';
import Database from 'better-sqlite3';
import { join } from 'node:path';

describe('queries: filter and sort', () => {
  let dir: string;
  let store: Store;

  before(() => {
    dir = makeStore();
    const now = FIXTURE_T0 + 10_000;
    new RunBuilder(dir, 'vision', 'aaaa0001').at(FIXTURE_T0 + 100).init({ name: 'jolly-haze-1', group: 'sweep-a', job_type: 'train', tags: ['baseline', 'two words'], notes: 'First attempt' })
      .config({ lr: 0.1, optimizer: { name: 'adam' }, batch: 32 }).history(0, { loss: 0.9, acc: 0.5 }).exit(0).write();
    new RunBuilder(dir, 'vision', 'bbbb0002').at(FIXTURE_T0 + 200).init({ name: 'brave-comet-2', group: 'sweep-a', job_type: 'eval', tags: ['tuned'], sweep: { id: 'sw3ep001', trial: 4 } })
      .config({ lr: 0.001, optimizer: { name: 'sgd' }, batch: 64 }).history(0, { loss: 0.2, acc: 0.9 }).exit(1, 'failed').write();
    // Alive: its process (pid 3003 of this host) lives.
    new RunBuilder(dir, 'vision', 'cccc0003').at(now - 5).init({ name: 'Misty-Haze-3', tags: ['tuned'], pid: 3003 })
      .config({ lr: 0.01 }).history(0, { loss: 0.25 }).heartbeat().write();
    new RunBuilder(dir, 'vision', 'dddd0004').at(FIXTURE_T0 + 50).init({ name: 'quiet-lake-4', sweep: { id: 'sw3ep001', trial: 0 } }).history(0, { loss: NaN }).exit(0).write();
    new RunBuilder(dir, 'audio', 'eeee0005').at(FIXTURE_T0 + 300).init({ name: 'solar-wave-1' }).exit(0).write();
    store = openTestStore(dir, { clock: { now }, alive: new Set([3003]) });
  });
  after(() => {
    store.close();
    removeStores();
  });

  const ids = (filter: string, project: string | null = 'vision') => store.listRuns(project ?? undefined, { filter, sort: 'name' }).map((r) => r.id);

  it('filters by state, tag, group, job, sweep, name and id', () => {
    assert.deepEqual(ids('state:running'), ['cccc0003']);
    assert.deepEqual(ids('state:failed'), ['bbbb0002']);
    assert.deepEqual(ids('tag:tuned'), ['bbbb0002', 'cccc0003']);
    assert.deepEqual(ids('tag:"two words"'), ['aaaa0001']);
    assert.deepEqual(ids('group:sweep-a job:train'), ['aaaa0001']);
    assert.deepEqual(ids('name~haze'), ['aaaa0001', 'cccc0003']);
    assert.deepEqual(ids('name:brave-comet-2'), ['bbbb0002']);
    assert.deepEqual(ids('id:bbbb'), ['bbbb0002']);
    assert.deepEqual(ids('sweep:sw3ep001'), ['bbbb0002', 'dddd0004']);
    assert.deepEqual(ids('sweep:nosuch'), []);
    assert.equal(store.listRuns('vision', { filter: 'id:dddd' })[0]!.sweepId, 'sw3ep001');
  });

  it('compares config and summary values numerically, else as text', () => {
    assert.deepEqual(ids('config.lr>0.01'), ['aaaa0001']);
    assert.deepEqual(ids('config.lr>=0.01'), ['aaaa0001', 'cccc0003']);
    assert.deepEqual(ids('config.lr!=0.1'), ['bbbb0002', 'cccc0003']);
    assert.deepEqual(ids('config.optimizer.name=adam'), ['aaaa0001']);
    assert.deepEqual(ids('config.optimizer/name:sgd'), ['bbbb0002']);
    assert.deepEqual(ids('config.batch<50'), ['aaaa0001']);
    assert.deepEqual(ids('loss<0.3'), ['bbbb0002', 'cccc0003']); // bare key: summary; NaN never matches
    assert.deepEqual(ids('summary.acc>=0.9'), ['bbbb0002']);
    assert.deepEqual(ids('loss<0.3 tag:tuned state:running'), ['cccc0003']);
  });

  it('says in SQL whether any run was read from another tool (none here: every run is Runlog\'s, one mentions "source" in its name)', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'p', 'plain001').at(FIXTURE_T0).init({ name: '"source" of truth' }).exit(0).write();
    const store = openTestStore(dir);
    assert.equal(store.hasSourcedRuns(), false);
    store.close();
  });

  it('matches bare words against name, id, tags and notes', () => {
    assert.deepEqual(ids('haze'), ['aaaa0001', 'cccc0003']);
    assert.deepEqual(ids('attempt'), ['aaaa0001']);
    assert.deepEqual(ids('TUNED'), ['bbbb0002', 'cccc0003']);
    assert.deepEqual(ids('"two words"'), ['aaaa0001']);
    assert.deepEqual(ids('eeee', null), ['eeee0005']);
  });

  it('throws FilterSyntaxError naming the bad term and its position', () => {
    const cases: [string, RegExp][] = [
      ['state:running tag:"open', /term "tag:\\"open" at position 15: the quote is never closed/],
      ['loss<', /term "loss<" at position 1: no value after "<"/],
      ['state:sleeping', /unknown state "sleeping"/],
      [':x', /nothing before ":"/],
      ['tag>3', /"tag" takes : = != or ~, not >/],
      ['duration>long', /"duration" is a number, "long" is not/],
      ['loss!3', /"!" is not an operator/],
    ];
    for (const [filter, message] of cases) {
      assert.throws(() => store.listRuns('vision', { filter }), (e: unknown) => e instanceof FilterSyntaxError && message.test(e.message), filter);
    }
    const error = (() => {
      try {
        parseFilter('ok  bad"quote');
      } catch (e) {
        return e as FilterSyntaxError;
      }
      return undefined;
    })();
    assert.ok(error);
    assert.equal(error.position, 4);
    assert.equal(error.term, 'bad"quote');
  });

  it('sorts by start, name, state, duration, summary and config, missing values last', () => {
    assert.deepEqual(store.listRuns('vision').map((r) => r.id), ['cccc0003', 'bbbb0002', 'aaaa0001', 'dddd0004']); // newest first
    assert.deepEqual(store.listRuns('vision', { sort: 'start' }).map((r) => r.id), ['dddd0004', 'aaaa0001', 'bbbb0002', 'cccc0003']);
    assert.deepEqual(store.listRuns('vision', { sort: 'name' }).map((r) => r.name), ['brave-comet-2', 'jolly-haze-1', 'Misty-Haze-3', 'quiet-lake-4']);
    assert.deepEqual(store.listRuns('vision', { sort: 'state' }).map((r) => r.state), ['running', 'finished', 'finished', 'failed']);
    assert.deepEqual(store.listRuns('vision', { sort: 'summary.loss' }).map((r) => r.id), ['bbbb0002', 'cccc0003', 'aaaa0001', 'dddd0004']);
    assert.deepEqual(store.listRuns('vision', { sort: 'summary.loss', descending: true }).map((r) => r.id), ['aaaa0001', 'cccc0003', 'bbbb0002', 'dddd0004']);
    assert.deepEqual(store.listRuns('vision', { sort: 'config.batch', descending: true }).map((r) => r.id).slice(0, 2), ['bbbb0002', 'aaaa0001']);
    assert.equal(store.listRuns('vision', { sort: 'duration', descending: true })[0]!.id, 'cccc0003');
    assert.deepEqual(store.listRuns('vision', { sort: 'name', limit: 2 }).map((r) => r.id), ['bbbb0002', 'aaaa0001']);
  });

  it('lists projects with run counts', () => {
    assert.deepEqual(store.listProjects().map((p) => [p.name, p.runCount, p.runningCount]), [['audio', 1, 0], ['vision', 4, 1]]);
  });
});

describe('queries in SQL: the same runs as the predicates, one page at a time', () => {
  afterEach(removeStores);

  it('every filter selects in SQL exactly the runs its predicate selects', () => {
    const dir = makeStore();
    const now = FIXTURE_T0 + 100_000;
    const names = ['jolly-haze', 'Brave-Comet', 'misty-Haze', 'quiet-lake', 'ÄRGER-wave'];
    for (let i = 0; i < 40; i++) {
      const b = new RunBuilder(dir, i % 3 === 0 ? 'audio' : 'vision', `run${String(i).padStart(5, '0')}`)
        .at(FIXTURE_T0 + (i % 7) * 100)
        .init({ name: `${names[i % names.length]}-${i}`, ...(i % 3 === 1 ? { sweep: { id: `sw${i % 2}`, trial: i } } : {}), group: i % 2 ? 'sweep-a' : 'sweep-b', job_type: i % 4 ? 'train' : 'eval', tags: i % 5 ? ['tuned'] : ['Baseline', 'two words'], notes: i % 6 ? '' : 'First attempt' })
        .config({ lr: i % 4 === 0 ? 'auto' : 0.001 * i, model: { layers: i % 3, act: i % 2 ? 'relu' : 'gelu' }, flag: i % 2 === 0 })
        .history(0, { loss: i % 9 === 0 ? NaN : 1 / (i + 1), acc: i / 40 });
      if (i % 8) b.history(i, { loss: 0.5 / (i + 1) });
      if (i % 5 === 1) b.summary({ best: i, loss: 0.01 });
      if (i % 10 !== 3) b.exit(i % 7 === 0 ? 1 : 0);
      else b.at(now - 5).heartbeat();
      b.write();
    }
    const store = openTestStore(dir, { clock: { now } });
    const filters = [
      '', 'state:running', 'state!=finished', 'state:failed', 'tag:baseline', 'tag!=tuned', 'tag~word', 'haze', 'HAZE', 'ärger', 'first', 'run0001',
      'group:sweep-a job:eval', 'sweep:sw1', 'sweep~sw', 'name~comet', 'name:jolly-haze-0', 'name>m', 'id:run0002', 'id=run00021', 'project:audio', 'notes~attempt',
      'config.lr>0.01', 'config.lr<=0.01', 'config.lr=auto', 'config.lr~aut', 'config.model.layers=2', 'config.model/act:relu', 'config.flag=1', 'config.flag=true',
      'loss<0.05', 'loss>=0.5', 'summary.loss=0.01', 'summary.best>10', 'acc>0.5', 'best!=3', 'step>20', 'step:0', 'start>=1764158700', 'exit:1', 'exit!=0',
      'duration>100', 'runtime<50 state:finished', 'missing=1', 'missing!=1', 'config.lr!=auto tag:tuned',
      // Values as valueTest() compares them: NaN, booleans as text and as 0/1, numbers as text, nested keys, text order.
      'loss>0', 'loss<1', 'loss=nan', 'loss~na', 'loss!=0.5', 'config.flag=true', 'config.flag~tru', 'config.flag>0', 'config.flag!=0', 'config.lr~0.0',
      'config.lr>a', 'config.lr<b', 'config.lr>=0.003 config.lr<0.02', 'config.model.act>gelu', 'config.model.act~EL', 'config.model:{}', 'summary.best~1',
      'tag:BASELINE', 'tag~WOR', 'tag!=baseline state!=running', '"two words"', 'tags:tuned', 'acc>=0.5 acc<0.9', 'runtime>100', 'runtime<=0',
      'duration<200 tag:tuned', 'config.lr>0.001 loss<0.5 tag:tuned state:finished',
    ];
    const all = store.listRuns(undefined);
    const check = (filter: string, path: string) => {
      const predicate = compileFilter(filter);
      const expected = all.filter(predicate).map((r) => r.key).sort();
      assert.deepEqual(store.listRuns(undefined, { filter }).map((r) => r.key).sort(), expected, `filter ${JSON.stringify(filter)} (${path})`);
      assert.equal(store.count(undefined, filter), expected.length, `count of ${JSON.stringify(filter)} (${path})`);
      const newest = store.listRuns('vision', { filter, limit: 3 }).map((r) => r.key);
      assert.deepEqual(newest, store.listRuns('vision', { filter }).slice(0, 3).map((r) => r.key), `first page of ${JSON.stringify(filter)} (${path})`);
    };
    // The same filters while a migrated index fills its values (the old tables are read).
    const raw = new Database(join(dir, 'index.sqlite'));
    raw.prepare("INSERT INTO index_state (key, value) VALUES ('values_filled_to', 0)").run();
    for (const filter of filters) check(filter, 'before the values are filled');
    raw.prepare("DELETE FROM index_state WHERE key = 'values_filled_to'").run();
    raw.close();
    for (const filter of filters) {
      check(filter, 'run_values');
      const predicate = compileFilter(filter);
      for (const project of ['audio', 'vision']) {
        const groups = new Map<string, { group: string; runCount: number; runningCount: number }>();
        for (const r of all.filter((r) => r.project === project && r.group && predicate(r))) {
          const g = groups.get(r.group!) ?? { group: r.group!, runCount: 0, runningCount: 0 };
          groups.set(r.group!, { ...g, runCount: g.runCount + 1, runningCount: g.runningCount + (r.state === 'running' ? 1 : 0) });
        }
        const want = [...groups.values()].sort((a, b) => a.group.localeCompare(b.group));
        assert.deepEqual(store.groupCounts(project, filter || undefined), want, `group counts of ${project} for ${JSON.stringify(filter)}`);
      }
    }
    assert.throws(() => store.count('vision', 'state:sleeping'), FilterSyntaxError);
    // Every term is SQL (duration too, since schema 10): the explorer names none as not SQL.
    assert.deepEqual(store.filterNotSql('tag:tuned config.lr>0.01'), []);
    assert.deepEqual(store.filterNotSql('runtime>5 duration>100 tag:tuned'), []);
    assert.throws(() => store.filterNotSql('duration~5'), /Filter term "duration~5" at position 1: "duration" is a number: compare it with = != < <= > >=/);
    store.close();
  });

  it('pages newest first by keyset: a run started or deleted while paging is neither lost nor doubled', () => {
    const dir = makeStore();
    for (let i = 0; i < 30; i++) new RunBuilder(dir, 'p', `run${String(i).padStart(5, '0')}`).at(FIXTURE_T0 + Math.floor(i / 3) * 10).init().exit(0).write();
    const store = openTestStore(dir);
    const seen: string[] = [];
    let page = store.listRuns('p', { limit: 7 });
    let deleted: string | undefined;
    while (page.length > 0) {
      seen.push(...page.map((r) => r.id));
      if (seen.length === 7) {
        // Meanwhile: a new run starts (newest, before the cursor) and an unseen run is deleted.
        new RunBuilder(dir, 'p', 'fresh0001').at(FIXTURE_T0 + 1000).init().write();
        const unseen = store.listRuns('p', { after: page.at(-1)!, limit: 1 })[0]!;
        deleted = unseen.id;
        store.deleteRuns([unseen.key]);
        store.sync();
      }
      page = store.listRuns('p', { after: page.at(-1)!, limit: 7 });
    }
    assert.equal(new Set(seen).size, seen.length, 'a run was listed twice');
    const expected = Array.from({ length: 30 }, (_, i) => `run${String(i).padStart(5, '0')}`).filter((id) => id !== deleted);
    assert.deepEqual([...seen].sort(), expected, 'a run that existed throughout was lost');
    // Newest first, ties by ID; the new run is on the first page of a fresh listing.
    const whole = store.listRuns('p');
    assert.deepEqual(seen, whole.filter((r) => r.id !== 'fresh0001').map((r) => r.id));
    assert.equal(whole[0]!.id, 'fresh0001');
    store.close();
  });

  it('re-reads the pages a view holds by keyset: new runs at the top, deleted ones gone, none past the last held', () => {
    const dir = makeStore();
    for (let i = 0; i < 20; i++) new RunBuilder(dir, 'p', `run${String(i).padStart(5, '0')}`).at(FIXTURE_T0 + Math.floor(i / 2) * 10).init().exit(0).write();
    const store = openTestStore(dir);
    const held = [...store.listRuns('p', { limit: 5 }), ...store.listRuns('p', { after: store.listRuns('p', { limit: 5 }).at(-1)!, limit: 5 })];
    const last = held.at(-1)!;
    assert.deepEqual(store.listRuns('p', { until: last }).map((r) => r.id), held.map((r) => r.id), 'the range is the pages held');
    new RunBuilder(dir, 'p', 'fresh0001').at(FIXTURE_T0 + 1000).init().exit(0).write();
    store.deleteRuns([held[3]!.key, last.key]);
    store.sync();
    const again = store.listRuns('p', { until: last }).map((r) => r.id);
    assert.deepEqual(again, ['fresh0001', ...held.filter((_, i) => i !== 3 && i !== 9).map((r) => r.id)], 'the deleted cursor still bounds the range');
    // The next page after the held range starts right after it: nothing lost, nothing doubled.
    const rest = store.listRuns('p', { after: last });
    assert.deepEqual([...again, ...rest.map((r) => r.id)], store.listRuns('p').map((r) => r.id));
    store.close();
  });

  it('pages by keyset with a duration filter (checked run by run before schema 10, SQL since)', () => {
    const dir = makeStore();
    for (let i = 0; i < 12; i++) {
      new RunBuilder(dir, 'p', `run${String(i).padStart(5, '0')}`).at(FIXTURE_T0 + i * 10).init().exit(0, 'finished', FIXTURE_T0 + i * 10 + (i % 2 === 0 ? 500 : 5)).write();
    }
    const store = openTestStore(dir);
    const filter = 'duration>100';
    assert.deepEqual(store.filterNotSql(filter), []);
    const all = store.listRuns('p', { filter });
    assert.equal(all.length, 6);
    const seen: string[] = [];
    let page = store.listRuns('p', { filter, limit: 4 });
    while (page.length > 0) {
      seen.push(...page.map((r) => r.id));
      page = store.listRuns('p', { filter, after: page.at(-1)!, limit: 4 });
    }
    assert.deepEqual(seen, all.map((r) => r.id));
    assert.deepEqual(store.listRuns('p', { filter, until: all[2]! }).map((r) => r.id), all.slice(0, 3).map((r) => r.id));
    store.close();
  });

  it('finds one run, the live runs and counts without listing a project', () => {
    const dir = makeStore();
    new RunBuilder(dir, 'p', 'done0001').init({ name: 'done' }).config({ lr: 1 }).history(3, { loss: 0.5 }).exit(0).write();
    const clock = { now: FIXTURE_T0 + 10 };
    new RunBuilder(dir, 'q', 'live0001').at(FIXTURE_T0 + 5).init({ pid: 777, name: 'live' }).write();
    const store = openTestStore(dir, { clock, alive: new Set([777]) });
    const done = store.runInfo('p/done0001')!;
    assert.equal(done.name, 'done');
    assert.equal(done.config.lr, 1);
    assert.equal(done.summary.loss, 0.5);
    assert.deepEqual(done, store.listRuns('p')[0]);
    assert.equal(store.runInfo('p/none0001'), undefined);
    assert.equal(store.runInfo('../x'), undefined);
    assert.deepEqual(store.liveRuns().map((r) => r.key), ['q/live0001']);
    assert.equal(store.count(), 2);
    assert.equal(store.count('p'), 1);
    assert.equal(store.count(undefined, 'state:running'), 1);
    store.close();
  });
});
