import * as assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkInterpreter, findOnPath } from '../../../src/extension/runs/pythonLookup';

describe('python lookup (real files on a fake PATH)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'runlog-path-'));
    for (const d of ['a', 'b']) mkdirSync(join(dir, d));
    writeFileSync(join(dir, 'b', 'python3'), '#!/bin/sh\n');
    chmodSync(join(dir, 'b', 'python3'), 0o755);
    writeFileSync(join(dir, 'a', 'python'), 'not executable');
    chmodSync(join(dir, 'a', 'python'), 0o644);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the first executable name on PATH', () => {
    const envPath = [join(dir, 'a'), join(dir, 'b')].join(':');
    assert.equal(findOnPath(['python3', 'python'], envPath, 'linux'), join(dir, 'b', 'python3'));
    assert.equal(findOnPath(['python'], envPath, 'linux'), undefined, 'a file without the execute bit is not an interpreter');
    assert.equal(findOnPath(['python3'], '', 'linux'), undefined);
  });

  it('checks a named interpreter and says why it cannot be used', () => {
    assert.deepEqual(checkInterpreter('python3', join(dir, 'b'), undefined, 'linux'), { ok: true, path: join(dir, 'b', 'python3') });
    assert.deepEqual(checkInterpreter('b/python3', '', dir, 'linux'), { ok: true, path: join(dir, 'b', 'python3') });
    const missing = checkInterpreter(join(dir, 'nope', 'python'), '', undefined, 'linux');
    assert.equal(missing.ok, false);
    assert.match(!missing.ok ? missing.error : '', /does not exist/);
    const notOnPath = checkInterpreter('python9', join(dir, 'b'), undefined, 'linux');
    assert.match(!notOnPath.ok ? notOnPath.error : '', /not on PATH/);
  });
});
