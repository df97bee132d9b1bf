// Issue 17, item 5: the Files tab lists what the run saved; Runlog's record files go behind a disclosure.
import * as assert from 'node:assert/strict';
import { splitRunFiles } from '../../../src/webview/runPage/fileGroups';

const file = (path: string) => ({ path, size: 1, mtime: 0 });

describe('run page: Files tab groups', () => {
  it('puts the files under files/ in the saved list and every other file of the run in the records', () => {
    const { saved, records } = splitRunFiles(['events.jsonl', 'files/config.yaml', 'output.jsonl', 'files/ckpt/epoch-1.pt', 'files.txt', 'media/images/a.png'].map(file));
    assert.deepEqual(saved.map((f) => f.path), ['files/config.yaml', 'files/ckpt/epoch-1.pt']);
    assert.deepEqual(records.map((f) => f.path), ['events.jsonl', 'output.jsonl', 'files.txt', 'media/images/a.png']);
  });
});
