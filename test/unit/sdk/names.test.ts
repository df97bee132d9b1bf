// Run names are adjective-noun-N with N the run's sequence number in the project the run really
// lands in, claimed atomically: scripts started at the same moment on one store never share N,
// and a script's project= wins over the project the editor (RUNLOG_PROJECT) suggested.
import * as assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cleanTemps, finished, Workspace, type PyResult } from '../../harness/python';

function ok(result: PyResult): void {
  assert.equal(result.code, 0, `python exited ${result.code} ${result.signal ?? ''}\n${result.stderr}`);
}

const STARTS = 8;

/** Waits for the go file, so every process calls init() at once; prints its run's name. */
const RACER = `
import os, sys, time
import runlog
go = sys.argv[1]
deadline = time.time() + 120
while not os.path.exists(go) and time.time() < deadline:
    time.sleep(0.001)
run = runlog.init(project=sys.argv[2] if len(sys.argv) > 2 else None)
print(run.name, flush=True)
run.finish()
`;

const numberOf = (name: string): number => Number(name.split('-').at(-1));

describe('SDK: run names numbered per project', function () {
  this.timeout(300_000);
  afterEach(cleanTemps);

  it(`${STARTS} scripts starting at once in one project get ${STARTS} different numbers, 1 to ${STARTS}`, async () => {
    const ws = new Workspace();
    const script = ws.script(RACER, 'racer.py');
    const go = join(ws.dir, 'go');
    const ready = ws.script('import runlog\n', 'warm.py');
    ok(await ws.run([ready])); // the SDK's bytecode is written before the race
    const children = Array.from({ length: STARTS }, () => ws.start([script, go, 'race']));
    const results = children.map((c) => finished(c));
    writeFileSync(go, 'go');
    const names = (await Promise.all(results)).map((r) => {
      assert.equal(r.code, 0, r.stderr);
      return r.stdout.trim();
    });
    for (const name of names) assert.match(name, /^[a-z]+-[a-z]+-\d+$/);
    assert.deepEqual(names.map(numberOf).sort((a, b) => a - b), Array.from({ length: STARTS }, (_, i) => i + 1), `names: ${names.join(', ')}`);
    assert.ok(existsSync(join(ws.store, 'projects', 'race', '.sequence')));
  });

  it('numbers the run in the project the script names, not the one the editor suggested', async () => {
    const ws = new Workspace();
    ok(await ws.py('import runlog\nfor _ in range(3):\n    runlog.init(project="sheet").finish()\n'));
    // The editor suggests "sheet" (RUNLOG_PROJECT); the script says project="real".
    const out = await ws.py('import runlog\nrun = runlog.init(project="real")\nprint(run.name)\nrun.finish()\n', { RUNLOG_PROJECT: 'sheet' });
    ok(out);
    assert.equal(numberOf(out.stdout.trim()), 1, out.stdout);
    const again = await ws.py('import runlog\nrun = runlog.init()\nprint(run.name)\nrun.finish()\n', { RUNLOG_PROJECT: 'sheet' });
    ok(again);
    assert.equal(numberOf(again.stdout.trim()), 4, again.stdout);
  });

  it('never reuses a number, even after runs were deleted; a name= is kept as given', async () => {
    const ws = new Workspace();
    const out = await ws.py(`
import shutil
import runlog
first = runlog.init(project="p"); first.finish()
second = runlog.init(project="p"); second.finish()
shutil.rmtree(second.dir)
third = runlog.init(project="p"); print(third.name); third.finish()
named = runlog.init(project="p", name="my-own-name"); print(named.name); named.finish()
`);
    ok(out);
    const [third, named] = out.stdout.trim().split('\n');
    assert.equal(numberOf(third!), 3, out.stdout);
    assert.equal(named, 'my-own-name');
  });
});
