// Issue 17, items 4 and 11: names with bidirectional controls, and long names in tab titles.
import * as assert from 'node:assert/strict';
import { hasBidiControls, neutralizeBidi, revealBidi, tabTitle, TAB_TITLE_MAX } from '../../../src/common/displayText';

const RLO = '\u202E';
const EVERY_CONTROL = ['\u061C', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2066', '\u2067', '\u2068', '\u2069'];

describe('display text: bidirectional controls and tab titles', () => {
  it('removes every bidirectional control outside webviews, so `‮gnp.exe` reads as stored', () => {
    assert.equal(neutralizeBidi(`report-${RLO}gnp.exe`), 'report-gnp.exe');
    assert.equal(neutralizeBidi(`a${EVERY_CONTROL.join('')}b`), 'ab');
    assert.ok(!hasBidiControls(neutralizeBidi(`x${RLO}y`)));
    assert.equal(neutralizeBidi('glowing-sunset-7 · عربى · 名前'), 'glowing-sunset-7 · عربى · 名前', 'letters of any script stay');
  });

  it('shows each control as a visible mark inside webviews', () => {
    assert.equal(revealBidi(`${RLO}gnp.exe`), '⟨U+202E⟩gnp.exe');
    assert.equal(revealBidi('\u061Cx\u200Fy\u2069'), '⟨U+061C⟩x⟨U+200F⟩y⟨U+2069⟩');
    for (const c of EVERY_CONTROL) assert.ok(hasBidiControls(c) && !hasBidiControls(revealBidi(c)), `U+${c.codePointAt(0)!.toString(16)}`);
  });

  it('caps tab titles with an ellipsis, never splitting a character, and neutralises them', () => {
    assert.equal(tabTitle('short-name-1'), 'short-name-1');
    const long = 'resnet50-imagenet-lr0.1-bs256-cosine-warmup5-mixup0.2-seed1234';
    const title = tabTitle(long);
    assert.equal(Array.from(title).length, TAB_TITLE_MAX);
    assert.ok(title.endsWith('…') && long.startsWith(title.slice(0, -1)), title);
    const emoji = '🚀'.repeat(60);
    assert.equal(tabTitle(emoji), `${'🚀'.repeat(TAB_TITLE_MAX - 1)}…`);
    assert.equal(tabTitle(`${RLO}gnp.exe`), 'gnp.exe');
    assert.equal(tabTitle('a\n\tb'), 'a b');
  });
});
