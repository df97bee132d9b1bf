import * as assert from 'node:assert/strict';
import { findInitCall, readInitCall } from '../../../src/extension/codelens/initCall';

describe('findInitCall', () => {
  it('finds runlog.init( and wandb.init(', () => {
    assert.equal(findInitCall('import runlog\n\nrun = runlog.init(project="p")\n'), 2);
    assert.equal(findInitCall('import wandb\nwith wandb.init() as run:\n  pass\n'), 1);
    assert.equal(findInitCall('import runlog\nrun = runlog.init (\n  project="p")\n'), 1);
  });

  it('follows import aliases', () => {
    assert.equal(findInitCall('import runlog as rl\nx = 1\nrl.init()\n'), 2);
    assert.equal(findInitCall('from runlog import init, log\ninit()\n'), 1);
    assert.equal(findInitCall('from wandb import init as start\nstart(project="x")\n'), 1);
  });

  it('ignores comments, other init methods and files without a call', () => {
    assert.equal(findInitCall('# runlog.init(project="p")\nprint(1)\n'), undefined);
    assert.equal(findInitCall('model.init()\nmyrunlog.init()\n'), undefined);
    assert.equal(findInitCall('print("hello")\n'), undefined);
    assert.equal(findInitCall(''), undefined);
  });
});

describe('readInitCall (issue 17, item 7: the launch sheet shows what the script sets)', () => {
  const keywords = (text: string) => Object.fromEntries(readInitCall(text)?.keywords ?? []);

  it('reads string literals of project and name, over several lines, with comments and nested brackets', () => {
    const text = 'import runlog\nrun = runlog.init(\n    project="mnist",  # the project, (really)\n    config={"lr": 0.1, "dims": (1, 2)},\n    name=\'first-try\',\n)\n';
    const call = readInitCall(text);
    assert.equal(call?.line, 1);
    assert.deepEqual(keywords(text), { project: { literal: 'mnist' }, config: { computed: true }, name: { literal: 'first-try' } });
    assert.equal(call?.spread, false);
  });

  it('reads a literal the way Python does: adjacent strings, escapes, raw strings, triple quotes, a comma or bracket inside', () => {
    assert.deepEqual(keywords('import wandb\nwandb.init(project="a" \'b\', name=r"c\\d")\n'), { project: { literal: 'ab' }, name: { literal: 'c\\d' } });
    assert.deepEqual(keywords('import runlog\nrunlog.init(name="tab\\there", project="""x,)y""")\n'), { name: { literal: 'tab\there' }, project: { literal: 'x,)y' } });
  });

  it('marks expressions the script computes: names, f-strings, calls, concatenation; and a **mapping', () => {
    const text = 'import runlog\nrunlog.init(project=PROJECT, name=f"run-{i}", notes=str(1), group="a" + b, **extra)\n';
    assert.deepEqual(keywords(text), { project: { computed: true }, name: { computed: true }, notes: { computed: true }, group: { computed: true } });
    assert.equal(readInitCall(text)?.spread, true);
  });

  it('gives no keywords for a call without any, and nothing for an unclosed call or no call', () => {
    assert.deepEqual(keywords('from runlog import init\nrun = init()\n'), {});
    assert.equal(readInitCall('import runlog\nrunlog.init(project="p"\n'), undefined);
    assert.equal(readInitCall('print("init")\n'), undefined);
  });
});
