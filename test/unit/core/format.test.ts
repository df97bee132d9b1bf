import * as assert from 'node:assert/strict';
import { appendFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson, stringifyJson } from '../../../src/core/format/json';
import { FileShrankError, readJsonLines } from '../../../src/core/format/jsonl';
import { checkEventRecord, checkHeader } from '../../../src/core/format/records';
import { makeStore, removeStores } from '../../fixtures/runBuilder';

describe('format: JSON with non-finite tokens', () => {
  it('reads the bare NaN, Infinity and -Infinity that Python writes', () => {
    const value = parseJson('{"a": NaN, "b": Infinity, "c": -Infinity, "d": [1, NaN]}') as Record<string, unknown>;
    assert.ok(Number.isNaN(value.a));
    assert.equal(value.b, Infinity);
    assert.equal(value.c, -Infinity);
    assert.ok(Number.isNaN((value.d as number[])[1]));
  });

  it('leaves the same words inside strings alone', () => {
    const value = parseJson('{"text": "NaN and Infinity, -Infinity", "x": NaN}') as Record<string, unknown>;
    assert.equal(value.text, 'NaN and Infinity, -Infinity');
    assert.ok(Number.isNaN(value.x));
  });

  it('still rejects text that is not JSON', () => {
    assert.throws(() => parseJson('{"a": NaNa}'));
    assert.throws(() => parseJson('{"a": 1'));
  });

  it('writes non-finite numbers back as tokens that it reads again', () => {
    const text = stringifyJson({ a: NaN, b: -Infinity, s: 'NaN' });
    assert.equal(text, '{"a":NaN,"b":-Infinity,"s":"NaN"}');
    const back = parseJson(text) as Record<string, unknown>;
    assert.ok(Number.isNaN(back.a));
    assert.equal(back.b, -Infinity);
    assert.equal(back.s, 'NaN');
  });
});

describe('format: reading JSON lines from an offset', function () {
  this.timeout(180_000);
  let dir: string;
  before(() => {
    dir = makeStore();
  });
  after(removeStores);

  it('returns complete lines and the offset after them; a last line without newline is pending', () => {
    const file = join(dir, 'a.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":2}\n{"n":');
    const first = readJsonLines(file, { offset: 0, line: 0 });
    assert.deepEqual(first.entries.map((e) => [e.line, e.value]), [[1, { n: 1 }], [2, { n: 2 }]]);
    assert.equal(first.next.offset, 16);
    assert.equal(first.next.line, 2);
    assert.equal(first.tailBytes, 5);
    assert.deepEqual(first.problems, []);
    appendFileSync(file, '3}\n{"n":4}\n');
    const second = readJsonLines(file, first.next);
    assert.deepEqual(second.entries.map((e) => [e.line, e.value]), [[3, { n: 3 }], [4, { n: 4 }]]);
    assert.equal(second.tailBytes, 0);
  });

  it('reports a torn last line once the writer has ended', () => {
    const file = join(dir, 'torn.jsonl');
    writeFileSync(file, '{"n":1}\n{"n":');
    const slice = readJsonLines(file, { offset: 0, line: 0 }, { ended: true, label: 'events.jsonl' });
    assert.equal(slice.problems.length, 1);
    assert.equal(slice.problems[0]!.kind, 'torn');
    assert.equal(slice.problems[0]!.line, 2);
    assert.match(slice.problems[0]!.message, /events\.jsonl line 2: torn/);
  });

  it('counts a corrupt line, names its line, and reads on', () => {
    const file = join(dir, 'corrupt.jsonl');
    writeFileSync(file, '{"n":1}\nnot json at all\n{"n":3}\n');
    const slice = readJsonLines(file, { offset: 0, line: 0 }, { label: 'events.jsonl' });
    assert.deepEqual(slice.entries.map((e) => e.line), [1, 3]);
    assert.equal(slice.problems.length, 1);
    assert.equal(slice.problems[0]!.kind, 'corrupt');
    assert.match(slice.problems[0]!.message, /^events\.jsonl line 2: not valid JSON/);
  });

  it('reads a 10 MB line whole, even past the read size', () => {
    const file = join(dir, 'big.jsonl');
    const big = 'x'.repeat(10 * 1024 * 1024);
    writeFileSync(file, `{"n":1}\n{"text":"${big}"}\n{"n":3}\n`);
    const slice = readJsonLines(file, { offset: 0, line: 0 }, { maxBytes: 64 * 1024 });
    const values = [...slice.entries];
    let next = slice.next;
    let more = slice.more;
    while (more) {
      const s = readJsonLines(file, next, { maxBytes: 64 * 1024 });
      values.push(...s.entries);
      next = s.next;
      more = s.more;
    }
    assert.equal(values.length, 3);
    assert.equal((values[1]!.value as { text: string }).text.length, big.length);
    assert.equal(values[2]!.line, 3);
  });

  it('keeps unicode keys and text intact across read boundaries', () => {
    const file = join(dir, 'unicode.jsonl');
    const lines = Array.from({ length: 200 }, (_, i) => stringifyJson({ '損失/ß': i, text: 'é😀'.repeat(i % 7) }) + '\n');
    writeFileSync(file, lines.join(''));
    const got: unknown[] = [];
    let pos = { offset: 0, line: 0 };
    for (;;) {
      const s = readJsonLines(file, pos, { maxBytes: 777 });
      got.push(...s.entries.map((e) => e.value));
      pos = s.next;
      if (!s.more) break;
    }
    assert.equal(got.length, 200);
    assert.deepEqual(got[13], { '損失/ß': 13, text: 'é😀'.repeat(6) });
  });

  it('says so when the file is now shorter than what was read', () => {
    const file = join(dir, 'shrunk.jsonl');
    writeFileSync(file, '{"n":1}\n');
    assert.throws(() => readJsonLines(file, { offset: 100, line: 3 }), FileShrankError);
  });
});

describe('format: record checks', () => {
  it('accepts a v1 header and refuses another major version', () => {
    assert.equal(checkHeader({ type: 'header', format: 'runlog', version: 1, minor: 3 }).kind, 'ok');
    const v2 = checkHeader({ type: 'header', format: 'runlog', version: 2, minor: 0 });
    assert.deepEqual(v2, { kind: 'unsupported', version: 2 });
    assert.equal(checkHeader({ type: 'init' }).kind, 'missing');
  });

  it('ignores unknown record types and names what is wrong with a bad one', () => {
    assert.equal(checkEventRecord({ type: 'telemetry', ts: 1 }), undefined);
    const bad = checkEventRecord({ type: 'history', ts: 1, step: 1.5, data: {} });
    assert.ok(bad && !bad.ok);
    assert.match(bad.error, /"history" record: `step` must be a non-negative integer/);
    const noTs = checkEventRecord({ type: 'exit', code: 0, state: 'finished' });
    assert.ok(noTs && !noTs.ok && /numeric `ts`/.test(noTs.error));
  });
});
