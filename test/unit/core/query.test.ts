import * as assert from 'node:assert/strict';
import { FIXTURE_T0, RunBuilder, makeStore, removeStores } from '../../fixtures/runBuilder';
import { openTestStore } from '../../fixtures/storeSnapshot';
import { FilterSyntaxError, parseFilter } from '../../../src/core/query/filter';
import type { Store } from '../../../src/core/store/Store';

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
