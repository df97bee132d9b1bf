import * as assert from 'node:assert/strict';
import { findInitCall } from '../../../src/extension/codelens/initCall';

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
