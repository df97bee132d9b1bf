// A store written by someone else: a cloned repository's `.runlog/`, index included. It is
// data, nothing more: links inside it that lead out of it are not followed, a crafted index
// cannot point the editor at folders outside the store or carry SQL that runs on our writes,
// and a store copied to another folder reads its runs from where they are now.

import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Store } from '../../../src/core/store/Store';
import { RunBuilder } from '../../fixtures/runBuilder';
import { removeTemps, tempDir } from '../../faults/lib/sdk';

const SECRET = 'SECRET-OUTSIDE-THE-STORE';

/** Everything the index shows, as one string: a secret must not appear anywhere in it. */
function everything(store: Store): string {
  const parts: unknown[] = [store.listProjects()];
  for (const info of store.listRuns(undefined)) {
    const run = store.getRun(info.key)!;
    parts.push(run, store.readOutput(info.key, 0, 1000));
    for (const m of run.metrics) parts.push(store.getHistory(info.key, m.key));
  }
  return JSON.stringify(parts);
}

/** A folder outside the store holding a valid run, a secret file and JSON lines with the secret. */
function outside(): string {
  const dir = tempDir('runlog-outside-');
  new RunBuilder(dir, 'leak', 'outrun01').init({ name: SECRET }).history(0, { [SECRET]: 1 }).output('stdout', `${SECRET}\n`).exit(0).write();
  writeFileSync(join(dir, 'secret.txt'), `${SECRET}\nline two ${SECRET}\n`);
  writeFileSync(join(dir, 'secret.jsonl'), `{"ts":1,"stream":"stdout","text":"${SECRET}"}\n{"type":"name","ts":1,"name":"${SECRET}"}\n`);
  return dir;
}

describe('faults: a store written by someone else', function () {
  this.timeout(180_000);
  after(removeTemps);

  it('does not follow links that lead out of the store: project, runs folder, run folder or run file', () => {
    const out = outside();
    const store = tempDir();
    new RunBuilder(store, 'proj', 'ownrun01').init({ name: 'own' }).history(0, { loss: 1 }).exit(0).write();
    const outRuns = join(out, 'projects', 'leak', 'runs');
    // A linked project, a linked runs folder, a linked run folder.
    mkdirSync(join(store, 'projects'), { recursive: true });
    symlinkSync(join(out, 'projects', 'leak'), join(store, 'projects', 'linkedproj'));
    mkdirSync(join(store, 'projects', 'viaruns'));
    symlinkSync(outRuns, join(store, 'projects', 'viaruns', 'runs'));
    symlinkSync(join(outRuns, 'outrun01'), join(store, 'projects', 'proj', 'runs', 'linkrun1'));
    // A real run folder whose files are links to files outside.
    const own = join(store, 'projects', 'proj', 'runs', 'linkfile');
    mkdirSync(own);
    symlinkSync(join(out, 'secret.txt'), join(own, 'events.jsonl'));
    symlinkSync(join(out, 'secret.jsonl'), join(own, 'output.jsonl'));
    symlinkSync(join(out, 'secret.jsonl'), join(own, 'edits.jsonl'));

    const index = Store.open(store);
    assert.deepEqual(index.listRuns(undefined).map((r) => r.key), ['proj/ownrun01']);
    assert.ok(!everything(index).includes(SECRET), 'something from outside the store is shown');
    index.close();
  });

  it('a store whose projects folder is a link to somewhere else shows nothing from there', () => {
    const out = outside();
    const store = tempDir();
    symlinkSync(join(out, 'projects'), join(store, 'projects'));
    const index = Store.open(store);
    assert.deepEqual(index.listRuns(undefined), []);
    assert.ok(!everything(index).includes(SECRET));
    index.close();
  });

  it('a crafted index cannot point a run at a folder outside the store', () => {
    const out = outside();
    const store = tempDir();
    new RunBuilder(store, 'proj', 'ownrun01').init({ name: 'own' }).history(0, { loss: 1 }).exit(0).write();
    Store.open(store).close();
    const db = new Database(join(store, 'index.sqlite'));
    db.prepare('UPDATE runs SET dir = ?').run(join(out, 'projects', 'leak', 'runs', 'outrun01'));
    db.close();
    const index = Store.open(store);
    assert.equal(index.getRun('proj/ownrun01')!.dir, join(store, 'projects', 'proj', 'runs', 'ownrun01'));
    index.close();
  });

  it('an index with SQL of its own (triggers, views) is set aside and rebuilt; that SQL never runs', () => {
    const store = tempDir();
    const b = new RunBuilder(store, 'proj', 'ownrun01').init({ name: 'own' }).history(0, { loss: 1 }).write();
    Store.open(store).close();
    const db = new Database(join(store, 'index.sqlite'));
    db.exec(`
      CREATE TABLE pwned (what TEXT);
      CREATE TRIGGER t1 AFTER INSERT ON history BEGIN INSERT INTO pwned VALUES ('history'); UPDATE runs SET name = 'pwned'; END;
      CREATE TRIGGER t2 AFTER UPDATE ON runs BEGIN INSERT INTO pwned VALUES ('runs'); END;
      CREATE VIEW v AS SELECT load_extension('/nonexistent/evil.so');
    `);
    db.close();
    b.history(1, { loss: 2 }).exit(0).write();
    const index = Store.open(store);
    const run = index.getRun('proj/ownrun01')!;
    assert.equal(run.name, 'own');
    assert.deepEqual(index.getHistory(run.key, 'loss').values, [1, 2]);
    index.close();
    const check = new Database(join(store, 'index.sqlite'), { readonly: true });
    assert.deepEqual(check.prepare("SELECT type, name FROM sqlite_master WHERE type IN ('trigger', 'view') OR name = 'pwned'").all(), []);
    check.close();
    assert.ok(readdirSync(store).some((f) => f.startsWith('index.sqlite.corrupt-')), 'the crafted index was not kept aside');
  });

  it('a store copied to another folder, index and all, reads its runs where they are now', () => {
    const first = tempDir();
    new RunBuilder(first, 'proj', 'ownrun01').init({ name: 'own' }).history(0, { loss: 1 }).file('files/model.txt', 'weights').exit(0).write();
    Store.open(first).close();
    const copy = join(tempDir(), 'cloned', '.runlog');
    cpSync(first, copy, { recursive: true });
    rmSync(first, { recursive: true, force: true });
    const index = Store.open(copy);
    const run = index.getRun('proj/ownrun01')!;
    assert.equal(run.dir, join(copy, 'projects', 'proj', 'runs', 'ownrun01'));
    assert.ok(run.files.some((f) => f.path === 'events.jsonl'), 'the run files are not found in the copy');
    index.close();
  });
});
