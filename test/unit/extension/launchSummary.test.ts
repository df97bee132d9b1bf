// Issue 17, item 7: the launch sheet reads the project and name from the script's init( call.
import * as assert from 'node:assert/strict';
import { readInitCall } from '../../../src/extension/codelens/initCall';
import { launchSummary } from '../../../src/extension/runs/launchSummary';

const call = (args: string) => readInitCall(`import runlog\n\nrun = runlog.init(${args})\n`);

describe('launch sheet: project and name from the script', () => {
  it('shows the literal project and name the script passes, which win over the sheet', () => {
    const s = launchSummary({ project: 'typed-in-sheet' }, 'folder-default', call('project="mnist", name="first-try"'));
    assert.equal(s.where, 'in project mnist');
    assert.deepEqual(s.project, { text: "mnist, set by the script's init(project=…) on line 3", fromScript: true });
    assert.deepEqual(s.name, { text: "first-try, set by the script's init(name=…) on line 3", fromScript: true });
  });

  it('says when the script computes them', () => {
    const s = launchSummary({}, 'folder-default', call('project=args.project, name=f"run-{seed}"'));
    assert.equal(s.where, 'in the project the script computes');
    assert.equal(s.project.text, "computed by the script's init(project=…) on line 3");
    assert.equal(s.name.fromScript, true);
  });

  it("uses the sheet's values, else the default project and a generated name, when the call leaves them out", () => {
    const s = launchSummary({ name: 'mine' }, 'folder-default', call('config={"lr": 0.1}'));
    assert.equal(s.where, 'in project folder-default');
    assert.deepEqual(s.project, { text: 'folder-default', fromScript: false });
    assert.deepEqual(s.name, { text: 'mine', fromScript: false });
    assert.equal(launchSummary({ project: 'p2' }, 'd', undefined).where, 'in project p2');
    assert.equal(launchSummary({}, 'd', undefined).name.text, 'generated (adjective-noun-N)');
  });

  it('names the uncertainty of a **mapping', () => {
    const s = launchSummary({}, 'd', call('**settings'));
    assert.equal(s.project.text, "d (unless the script's init(**…) on line 3 sets project=)");
    assert.equal(s.where, 'in project d');
  });
});
