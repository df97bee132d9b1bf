// runlog.init() in a real Jupyter kernel (ipykernel from the pip index, driven by jupyter_client
// as a notebook front end would): one run per init, the previous one finished when the init cell
// runs again, output of the cells captured, an interrupted cell does not end the run, the kernel's
// shutdown finishes the last run, and the run's rich display carries Runlog's MIME type.

import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import { recordsOf } from '../harness/jsonl';
import { cleanTemps, InteropWorkspace, venvPython } from './support';

interface CellOutput {
  name: string;
  stream: string;
  mime: string[][];
  payload: { version: number; project: string; id: string; name: string; dir: string; store: string } | null;
  text?: string;
  status: string;
  error: string | null;
}

describe('Interop: runlog.init() in a Jupyter kernel (ipykernel + jupyter_client)', function () {
  this.timeout(600_000);
  after(cleanTemps);

  it('starts one run per init, finishes the previous one, captures cell output and finishes the last at kernel shutdown', async () => {
    const python = venvPython('ipykernel', 'jupyter_client');
    const ws = new InteropWorkspace();
    const result = await ws.run(python, 'notebook_kernel.py', { RUNLOG_CODE: '0' });
    const cells = JSON.parse(result.stdout) as CellOutput[];
    const cell = (name: string): CellOutput => cells.find((c) => c.name === name)!;

    assert.deepEqual(cells.map((c) => `${c.name}:${c.status}`), ['init:ok', 'train:ok', 'show:ok', 'fails:error', 'reinit:ok', 'after:ok', 'interrupted:error', 'alive:ok']);
    assert.equal(cell('fails').error, 'ValueError');
    assert.equal(cell('interrupted').error, 'KeyboardInterrupt');

    // The init cell shows the run: our MIME type with a text/plain fallback, and the same for `run` as a cell's value.
    const first = cell('init').payload!;
    assert.ok(first, `the init cell displayed no Runlog output: ${JSON.stringify(cell('init'))}`);
    assert.deepEqual(cell('init').mime, [['application/vnd.runlog.run+json', 'text/plain']]);
    assert.equal(first.project, 'nb');
    assert.equal(first.dir, join(ws.store, 'projects', 'nb', 'runs', first.id));
    assert.match(cell('show').text!, new RegExp(`^Runlog run ${first.name} \\(${first.id}\\) in project nb, running: `));
    const second = cell('reinit').payload!;
    assert.notEqual(second.id, first.id, 're-running the init cell starts a new run');

    assert.deepEqual(ws.runIds('nb'), [first.id, second.id].sort());
    const firstDir = join(ws.store, 'projects', 'nb', 'runs', first.id);
    const secondDir = join(ws.store, 'projects', 'nb', 'runs', second.id);
    // The first run ended when the init cell ran again; the second when the kernel shut down.
    assert.equal(ws.exitState(firstDir), 'finished');
    assert.equal(ws.exitState(secondDir), 'finished', 'an interrupted cell does not make the run killed');
    assert.deepEqual(ws.series(firstDir, 'loss'), [1, 0.5, 1 / 3, 0.25, 0.2]);
    assert.deepEqual(ws.series(secondDir, 'loss'), [0.25, 0.125]);
    assert.deepEqual(ws.config(firstDir), { lr: 0.1 });

    const text = (dir: string) => recordsOf(join(dir, 'output.jsonl')).map((r) => String(r.text)).join('');
    assert.match(text(firstDir), /hello from the init cell\n/);
    assert.match(text(firstDir), /trained 5\n/);
    assert.match(text(firstDir), /about to fail\n/);
    assert.doesNotMatch(text(firstDir), /second run logs/);
    assert.match(text(secondDir), /second run logs\n[\s\S]*sleeping\n[\s\S]*still tracked after the interrupt\n/);
  });
});
