import * as assert from 'node:assert/strict';
import { parseAnsi, stripAnsi, xtermColor } from '../../../src/common/ansi';

describe('ANSI parsing of run output', () => {
  it('leaves plain text alone', () => {
    assert.deepEqual(parseAnsi('epoch 1 loss 0.5'), [{ text: 'epoch 1 loss 0.5', style: {} }]);
  });

  it('turns SGR colours and styles into segments', () => {
    const segs = parseAnsi('\u001b[1;31mERROR\u001b[0m: disk \u001b[32mok\u001b[39m done');
    assert.deepEqual(segs, [
      { text: 'ERROR', style: { bold: true, fg: { kind: 'palette', index: 1 } } },
      { text: ': disk ', style: {} },
      { text: 'ok', style: { fg: { kind: 'palette', index: 2 } } },
      { text: ' done', style: {} },
    ]);
  });

  it('reads bright, 256-colour and truecolor codes', () => {
    assert.deepEqual(parseAnsi('\u001b[94mx')[0]!.style.fg, { kind: 'palette', index: 12 });
    assert.deepEqual(parseAnsi('\u001b[38;5;208mx')[0]!.style.fg, { kind: 'palette', index: 208 });
    assert.deepEqual(parseAnsi('\u001b[48;2;10;20;300mx')[0]!.style.bg, { kind: 'rgb', r: 10, g: 20, b: 255 });
  });

  it('drops cursor moves, erases and OSC hyperlinks', () => {
    assert.equal(stripAnsi('\u001b[2K\u001b[1Gtraining \u001b]8;;https://x.y\u0007link\u001b]8;;\u0007 done'), 'training link done');
  });

  it('shows what a progress bar left after carriage returns', () => {
    assert.equal(stripAnsi(' 10%|#  |\r 50%|## |\r100%|###|\n'), '100%|###|');
    assert.equal(stripAnsi('done\r'), 'done');
  });

  it('keeps markup-looking text as text', () => {
    assert.equal(stripAnsi('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  });

  it('maps the xterm cube and grey ramp', () => {
    assert.deepEqual(xtermColor(16), { r: 0, g: 0, b: 0 });
    assert.deepEqual(xtermColor(196), { r: 255, g: 0, b: 0 });
    assert.deepEqual(xtermColor(232), { r: 8, g: 8, b: 8 });
  });
});
