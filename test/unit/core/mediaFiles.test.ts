// The host's reads behind the Media tab's first frame: a run's files resolved with a few system
// calls (core/media/runFiles), and a table's first rows from the first bytes of its file
// (core/media/tableHead), each against what the slow path (realpath per file, the whole parse) says.

import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunFileResolver } from '../../../src/core/media/runFiles';
import { parseTable } from '../../../src/core/media/tableData';
import { parseTableHead } from '../../../src/core/media/tableHead';

describe('media files and table heads (core/media/runFiles, tableHead)', () => {
  let tmp = '';
  before(() => {
    tmp = realpathSync(mkdtempSync(join(tmpdir(), 'runlog-media-files-')));
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('serves files inside the run folder only: links out and `..` are refused, a missing file is named', () => {
    const run = join(tmp, 'run');
    const outside = join(tmp, 'secret');
    mkdirSync(join(run, 'media'), { recursive: true });
    mkdirSync(outside);
    writeFileSync(join(run, 'media', 'a.png'), 'png');
    writeFileSync(join(outside, 'key.png'), 'secret');
    symlinkSync(join(outside, 'key.png'), join(run, 'media', 'out.png'));
    symlinkSync(join(run, 'media', 'a.png'), join(run, 'media', 'in.png'));
    symlinkSync(outside, join(run, 'linked'));
    // The run folder reached through a link resolves to its real path.
    symlinkSync(run, join(tmp, 'run-link'));
    const files = new RunFileResolver([join(tmp, 'run-link')]);
    assert.deepEqual(files.resolve('media/a.png'), { ok: true, file: join(run, 'media', 'a.png') });
    assert.deepEqual(files.resolve('media/in.png'), { ok: true, file: join(run, 'media', 'a.png') });
    assert.deepEqual(files.resolve('media/out.png'), { ok: false, problem: 'media/out.png links outside the run folder' });
    assert.deepEqual(files.resolve('linked/key.png'), { ok: false, problem: 'linked/key.png links outside the run folder' });
    assert.deepEqual(files.resolve('../secret/key.png'), { ok: false, problem: 'path "../secret/key.png" is outside the run folder' });
    assert.deepEqual(files.resolve('/etc/passwd'), { ok: false, problem: 'path "/etc/passwd" is outside the run folder' });
    assert.deepEqual(files.resolve('media/gone.png'), { ok: false, problem: 'file missing: media/gone.png' });
    assert.deepEqual(files.resolve('nodir/gone.png'), { ok: false, problem: 'file missing: nodir/gone.png' });
    assert.deepEqual(new RunFileResolver([join(tmp, 'nothing')]).resolve('media/a.png'), { ok: false, problem: 'the run folder is gone' });
    // Several folders (a W&B run read in place): the first that holds the file; else the first one's problem.
    mkdirSync(join(tmp, 'wandb-files'));
    writeFileSync(join(tmp, 'wandb-files', 'b.png'), 'png');
    const two = new RunFileResolver([run, join(tmp, 'wandb-files')]);
    assert.deepEqual(two.resolve('media/a.png'), { ok: true, file: join(run, 'media', 'a.png') });
    assert.deepEqual(two.resolve('b.png'), { ok: true, file: join(tmp, 'wandb-files', 'b.png') });
    assert.deepEqual(two.resolve('c.png'), { ok: false, problem: 'file missing: c.png' });
  });

  it('reads the first rows of a table from the start of its file, as the whole parse has them', () => {
    const X = '<b>"],[x</b>\\';
    const data = Array.from({ length: 500 }, (_, i) => [i, `${X} ${i}`, i % 7 === 0 ? 'NaN!' : i / 3, i % 2 === 0, null, { _type: 'image-file', path: `media/${i}.png`, caption: `c]${i}` }]);
    // As Python's json writes it: NaN bare.
    const python = JSON.stringify({ columns: ['id', 'text', 'score', 'even', 'none', 'img'], data }).replaceAll('"NaN!"', 'NaN');
    const whole = parseTable(python);
    const head = parseTableHead(python.slice(0, 4000), 20)!;
    assert.ok(head, 'no head from the first 4,000 characters');
    assert.deepEqual(head.columns, whole.columns);
    assert.deepEqual(head.rows, whole.rows.slice(0, 20));
    assert.equal(head.rows[7]![2], null);
    assert.equal(head.complete, false);
    // Cut inside the rows asked for: not enough text, so no answer (the caller reads more).
    assert.equal(parseTableHead(python.slice(0, 300), 20), undefined);
    // A table shorter than the page: complete.
    const small = parseTableHead(JSON.stringify({ columns: ['a'], data: [[1], [2]] }), 200)!;
    assert.deepEqual(small, { columns: ['a'], rows: [[1], [2]], complete: true });
    assert.deepEqual(parseTableHead(' { "columns" : [ "a" ] , "data" : [ [ 1 ] ] } ', 200), { columns: ['a'], rows: [[1]], complete: true });
    // Layouts it does not know: the caller parses the whole file.
    assert.equal(parseTableHead(JSON.stringify({ data: [[1]], columns: ['a'] }), 10), undefined);
    assert.equal(parseTableHead(JSON.stringify({ columns: ['a'], data: [1, 2] }), 10), undefined);
    assert.equal(parseTableHead('[1, 2]', 10), undefined);
    assert.equal(parseTableHead('', 10), undefined);
  });
});
