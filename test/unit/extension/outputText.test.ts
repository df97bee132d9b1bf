import * as assert from 'node:assert/strict';
import { splitArgs, quoteArgs } from '../../../src/extension/runs/argv';
import { LineAssembler, stripAnsi, toTerminalNewlines } from '../../../src/extension/runs/outputText';

describe('output text', () => {
  it('strips colour and cursor codes', () => {
    assert.equal(stripAnsi('\u001b[31mred\u001b[0m \u001b[1;32mbold green\u001b[m\u001b[2K'), 'red bold green');
    assert.equal(stripAnsi('\u001b]8;;http://x\u0007link\u001b]8;;\u0007'), 'link');
  });

  it('turns lone line feeds into CR LF for the pseudoterminal', () => {
    assert.equal(toTerminalNewlines('a\nb\r\nc'), 'a\r\nb\r\nc');
  });

  it('assembles whole lines across chunks, codes split between chunks included', () => {
    const a = new LineAssembler();
    assert.deepEqual(a.push('epoch 1 \u001b[3'), []);
    assert.deepEqual(a.push('2mloss\u001b[0m 0.5\nepo'), ['epoch 1 loss 0.5']);
    assert.deepEqual(a.push('ch 2\r\n'), ['epoch 2']);
    assert.deepEqual(a.flush(), []);
  });

  it('keeps what a progress bar leaves on its line', () => {
    const a = new LineAssembler();
    assert.deepEqual(a.push(' 10%|#\r 50%|#####\r100%|##########'), []);
    assert.deepEqual(a.push('\n'), ['100%|##########']);
    assert.deepEqual(a.push('tail without newline'), []);
    assert.deepEqual(a.flush(), ['tail without newline']);
  });

  it('cuts a line that never ends', () => {
    const a = new LineAssembler(10);
    assert.deepEqual(a.push('x'.repeat(25)), ['x'.repeat(10), 'x'.repeat(10)]);
    assert.deepEqual(a.flush(), ['x'.repeat(5)]);
  });
});

describe('splitArgs', () => {
  it('splits words and honours quotes and backslashes without expanding anything', () => {
    const r = splitArgs(`--lr 0.1 --name "a b" 'c d' e\\ f $(rm) ; \`x\` "\\"q\\"" ünï`);
    assert.deepEqual(r, { ok: true, args: ['--lr', '0.1', '--name', 'a b', 'c d', 'e f', '$(rm)', ';', '`x`', '"q"', 'ünï'] });
  });

  it('keeps empty quoted arguments', () => {
    assert.deepEqual(splitArgs(`a "" ''`), { ok: true, args: ['a', '', ''] });
    assert.deepEqual(splitArgs('   '), { ok: true, args: [] });
  });

  it('says when a quote is not closed', () => {
    const r = splitArgs(`--name "open`);
    assert.equal(r.ok, false);
  });

  it('quotes arguments for display so that splitting gives them back', () => {
    const args = ['--x', 'a b', "it's", '', 'ünï', '$(y)'];
    assert.deepEqual(splitArgs(quoteArgs(args)), { ok: true, args });
  });
});
