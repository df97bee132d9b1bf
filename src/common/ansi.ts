// ANSI escape sequences in run output: SGR colours and styles become styled segments, every
// other control sequence (cursor moves, erase, OSC hyperlinks) is dropped, and a carriage
// return keeps only what was written after it, as a terminal would show a progress bar.

export type AnsiColor =
  | { readonly kind: 'palette'; readonly index: number }
  | { readonly kind: 'rgb'; readonly r: number; readonly g: number; readonly b: number };

export interface AnsiStyle {
  readonly fg?: AnsiColor;
  readonly bg?: AnsiColor;
  readonly bold?: boolean;
  readonly dim?: boolean;
  readonly italic?: boolean;
  readonly underline?: boolean;
  readonly inverse?: boolean;
  readonly strike?: boolean;
}

export interface AnsiSegment {
  readonly text: string;
  readonly style: AnsiStyle;
}

// CSI ... final byte, OSC ... BEL/ST, and lone two-byte escapes.
// eslint-disable-next-line no-control-regex
const ESCAPE = /\u001b\[([0-9;:?]*)([\u0040-\u007e])|\u001b\][^\u0007\u001b]*(?:\u0007|\u001b\\)?|\u001b[\u0040-\u005f]/g;

/** Text as a terminal would leave it on one line: after the last carriage return. */
function lastRewrite(text: string): string {
  const trimmed = text.endsWith('\r\n') ? text.slice(0, -2) : text.endsWith('\n') ? text.slice(0, -1) : text;
  if (!trimmed.includes('\r')) return trimmed;
  const parts = trimmed.split('\r').filter((p) => p.length > 0);
  return parts[parts.length - 1] ?? '';
}

/** Splits one line of output into styled segments. */
export function parseAnsi(line: string): AnsiSegment[] {
  const text = lastRewrite(line);
  const segments: AnsiSegment[] = [];
  let style: AnsiStyle = {};
  let last = 0;
  ESCAPE.lastIndex = 0;
  for (let match = ESCAPE.exec(text); match !== null; match = ESCAPE.exec(text)) {
    if (match.index > last) segments.push({ text: text.slice(last, match.index), style });
    last = match.index + match[0].length;
    if (match[2] === 'm') style = applySgr(style, match[1] ?? '');
  }
  if (last < text.length) segments.push({ text: text.slice(last), style });
  return segments.filter((s) => s.text.length > 0);
}

/** The line's text without escape sequences. */
export function stripAnsi(line: string): string {
  return parseAnsi(line)
    .map((s) => s.text)
    .join('');
}

function applySgr(current: AnsiStyle, params: string): AnsiStyle {
  const codes = params === '' ? [0] : params.split(/[;:]/).map((p) => (p === '' ? 0 : Number.parseInt(p, 10)));
  let style: { -readonly [K in keyof AnsiStyle]: AnsiStyle[K] } = { ...current };
  for (let i = 0; i < codes.length; i++) {
    const code = codes[i]!;
    if (code === 0) style = {};
    else if (code === 1) style.bold = true;
    else if (code === 2) style.dim = true;
    else if (code === 3) style.italic = true;
    else if (code === 4) style.underline = true;
    else if (code === 7) style.inverse = true;
    else if (code === 9) style.strike = true;
    else if (code === 22) {
      delete style.bold;
      delete style.dim;
    } else if (code === 23) delete style.italic;
    else if (code === 24) delete style.underline;
    else if (code === 27) delete style.inverse;
    else if (code === 29) delete style.strike;
    else if (code >= 30 && code <= 37) style.fg = { kind: 'palette', index: code - 30 };
    else if (code >= 90 && code <= 97) style.fg = { kind: 'palette', index: code - 90 + 8 };
    else if (code === 39) delete style.fg;
    else if (code >= 40 && code <= 47) style.bg = { kind: 'palette', index: code - 40 };
    else if (code >= 100 && code <= 107) style.bg = { kind: 'palette', index: code - 100 + 8 };
    else if (code === 49) delete style.bg;
    else if (code === 38 || code === 48) {
      const mode = codes[i + 1];
      let color: AnsiColor | undefined;
      if (mode === 5 && i + 2 < codes.length) {
        color = { kind: 'palette', index: clamp(codes[i + 2]!) };
        i += 2;
      } else if (mode === 2 && i + 4 < codes.length) {
        color = { kind: 'rgb', r: clamp(codes[i + 2]!), g: clamp(codes[i + 3]!), b: clamp(codes[i + 4]!) };
        i += 4;
      } else {
        break; // malformed extended colour: ignore the rest, as terminals do
      }
      if (code === 38) style.fg = color;
      else style.bg = color;
    }
  }
  return style;
}

function clamp(n: number): number {
  return Number.isFinite(n) ? Math.min(255, Math.max(0, Math.trunc(n))) : 0;
}

/** An xterm 256-colour palette entry above 15 as rgb (0–15 follow the editor's terminal theme). */
export function xtermColor(index: number): { r: number; g: number; b: number } {
  if (index >= 232) {
    const v = 8 + (index - 232) * 10;
    return { r: v, g: v, b: v };
  }
  const i = index - 16;
  const level = (n: number): number => (n === 0 ? 0 : 55 + n * 40);
  return { r: level(Math.floor(i / 36)), g: level(Math.floor(i / 6) % 6), b: level(i % 6) };
}
