// Issue 17, item 9: the first ten runs drawn together are always told apart, in the dark,
// light and high-contrast themes. Distances are CIEDE2000 (CIE 2001), contrast is WCAG 2.1's.
import * as assert from 'node:assert/strict';
import { assignRunColors, distinctColors, RUN_COLORS } from '../../../src/webview/shared/palette';

type Rgb = readonly [number, number, number];

function rgb(hex: string): Rgb {
  const n = Number.parseInt(hex.slice(1), 16);
  return [((n >> 16) & 255) / 255, ((n >> 8) & 255) / 255, (n & 255) / 255];
}

const linear = (c: number): number => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);

function luminance([r, g, b]: Rgb): number {
  return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
}

function contrast(a: Rgb, b: Rgb): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

function lab([r, g, b]: Rgb): Rgb {
  const [R, G, B] = [linear(r), linear(g), linear(b)];
  const x = (0.4124 * R + 0.3576 * G + 0.1805 * B) / 0.95047;
  const y = 0.2126 * R + 0.7152 * G + 0.0722 * B;
  const z = (0.0193 * R + 0.1192 * G + 0.9505 * B) / 1.08883;
  const f = (t: number): number => (t > 0.008856 ? Math.cbrt(t) : 7.787 * t + 16 / 116);
  return [116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))];
}

const rad = (deg: number): number => (deg * Math.PI) / 180;
const deg = (r: number): number => ((r * 180) / Math.PI + 360) % 360;

/** CIEDE2000 colour difference of two sRGB colours. */
function ciede2000(c1: Rgb, c2: Rgb): number {
  return ciede2000Lab(lab(c1), lab(c2));
}

/** CIEDE2000 colour difference of two CIELAB colours (Sharma, Wu and Dalal's formulation). */
function ciede2000Lab([L1, a1, b1]: Rgb, [L2, a2, b2]: Rgb): number {
  const Cbar = (Math.hypot(a1, b1) + Math.hypot(a2, b2)) / 2;
  const G = 0.5 * (1 - Math.sqrt(Cbar ** 7 / (Cbar ** 7 + 25 ** 7)));
  const [a1p, a2p] = [(1 + G) * a1, (1 + G) * a2];
  const [C1p, C2p] = [Math.hypot(a1p, b1), Math.hypot(a2p, b2)];
  const [h1p, h2p] = [deg(Math.atan2(b1, a1p)), deg(Math.atan2(b2, a2p))];
  let dh = h2p - h1p;
  if (C1p * C2p === 0) dh = 0;
  else if (dh > 180) dh -= 360;
  else if (dh < -180) dh += 360;
  const dL = L2 - L1;
  const dC = C2p - C1p;
  const dH = 2 * Math.sqrt(C1p * C2p) * Math.sin(rad(dh / 2));
  const Lbar = (L1 + L2) / 2;
  const Cbarp = (C1p + C2p) / 2;
  let hbar = h1p + h2p;
  if (C1p * C2p !== 0) hbar = Math.abs(h1p - h2p) <= 180 ? hbar / 2 : hbar < 360 ? (hbar + 360) / 2 : (hbar - 360) / 2;
  const T = 1 - 0.17 * Math.cos(rad(hbar - 30)) + 0.24 * Math.cos(rad(2 * hbar)) + 0.32 * Math.cos(rad(3 * hbar + 6)) - 0.2 * Math.cos(rad(4 * hbar - 63));
  const dTheta = 30 * Math.exp(-(((hbar - 275) / 25) ** 2));
  const Rc = 2 * Math.sqrt(Cbarp ** 7 / (Cbarp ** 7 + 25 ** 7));
  const Sl = 1 + (0.015 * (Lbar - 50) ** 2) / Math.sqrt(20 + (Lbar - 50) ** 2);
  const Sc = 1 + 0.045 * Cbarp;
  const Sh = 1 + 0.015 * Cbarp * T;
  const Rt = -Math.sin(rad(2 * dTheta)) * Rc;
  return Math.sqrt((dL / Sl) ** 2 + (dC / Sc) ** 2 + (dH / Sh) ** 2 + Rt * (dC / Sc) * (dH / Sh));
}

/** Editor backgrounds of VS Code's default themes. */
const BACKGROUNDS = {
  'Dark Modern (editor)': '#1f1f1f',
  'Dark Modern (side bar)': '#181818',
  'Light Modern': '#ffffff',
  'High Contrast': '#000000',
  'High Contrast Light': '#ffffff',
};

describe('run colours: ten distinct in every theme', () => {
  it('computes CIEDE2000 as published (Sharma, Wu and Dalal 2005, test pairs 1 and 7)', () => {
    assert.equal(ciede2000Lab([50, 2.6772, -79.7751], [50, 0, -82.7485]).toFixed(4), '2.0425');
    assert.equal(ciede2000Lab([50, 0, 0], [50, -1, 2]).toFixed(4), '2.3669');
    assert.equal(ciede2000(rgb('#4c76a2'), rgb('#4c76a2')), 0);
  });

  it('has ten colours, any two at least 15 apart (CIEDE2000)', () => {
    assert.equal(RUN_COLORS.length, 10);
    for (let i = 0; i < RUN_COLORS.length; i++) {
      for (let j = i + 1; j < RUN_COLORS.length; j++) {
        const d = ciede2000(rgb(RUN_COLORS[i]!), rgb(RUN_COLORS[j]!));
        assert.ok(d >= 15, `${RUN_COLORS[i]} and ${RUN_COLORS[j]} are only ${d.toFixed(1)} apart`);
      }
    }
  });

  it('keeps every colour at 3:1 contrast or more against the dark, light and high-contrast backgrounds', () => {
    for (const color of RUN_COLORS) {
      for (const [theme, background] of Object.entries(BACKGROUNDS)) {
        const ratio = contrast(rgb(color), rgb(background));
        assert.ok(ratio >= 3, `${color} on ${theme} (${background}): ${ratio.toFixed(2)}:1`);
      }
    }
  });

  it('gives any ten runs charted together ten different colours', () => {
    for (let offset = 0; offset < 200; offset += 7) {
      const keys = Array.from({ length: 60 }, (_, i) => `proj/r${(i + offset).toString(36).padStart(7, '0')}`);
      const project = assignRunColors(keys);
      const shown = keys.slice(offset % 50, (offset % 50) + 10);
      assert.equal(new Set(distinctColors(shown, project).values()).size, 10, `runs ${offset % 50}–${(offset % 50) + 9}`);
    }
  });
});
