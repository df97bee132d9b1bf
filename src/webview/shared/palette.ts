// Run colours. A run keeps its colour on every page and whatever else is selected: the colour
// comes from a hash of the run's key, and on a compare page a run whose slot is already taken
// by an older run takes the next free one.

// Ten colours, so the ten runs a compare page charts are always told apart (issue 17: two
// greens, two purples). Hues after Tableau 10, each moved to a relative luminance between
// 0.14 and 0.30: that keeps a 3:1 contrast (WCAG 1.4.11, graphical objects) against the dark,
// light and both high-contrast editor backgrounds, so one palette serves every theme. Any two
// differ by a CIEDE2000 distance of 16 or more; test/unit/webview/palette.test.ts checks both.
export const RUN_COLORS = [
  '#4c76a2', // blue
  '#e0760e', // orange
  '#4c8a43', // green
  '#d72629', // red
  '#8552bb', // purple
  '#26a1b2', // cyan
  '#ff3d9b', // pink
  '#846351', // brown
  '#a59622', // olive
  '#7e7e7e', // grey
] as const;

export function hashString(text: string): number {
  // FNV-1a, 32 bit.
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** The colour a run has on its own page. */
export function runColor(key: string): string {
  return RUN_COLORS[hashString(key) % RUN_COLORS.length]!;
}

/**
 * Colours for a project's runs, oldest first: each takes its hash slot, or the next slot no
 * older run holds, so runs keep their colours as newer ones appear.
 */
export function assignRunColors(keysOldestFirst: readonly string[]): Map<string, string> {
  const out = new Map<string, string>();
  const n = RUN_COLORS.length;
  let used = new Set<number>();
  for (const key of keysOldestFirst) {
    if (used.size === n) used = new Set();
    let slot = hashString(key) % n;
    while (used.has(slot)) slot = (slot + 1) % n;
    used.add(slot);
    out.set(key, RUN_COLORS[slot]!);
  }
  return out;
}

/**
 * Colours for runs drawn together: each keeps its own colour unless an older run on the same
 * chart already has it; then it takes the next colour none of them has (while any is left).
 */
export function distinctColors(keysOldestFirst: readonly string[], colors: ReadonlyMap<string, string>): Map<string, string> {
  const out = new Map<string, string>();
  const taken = new Set<string>();
  for (const key of keysOldestFirst) {
    let color = colors.get(key) ?? runColor(key);
    if (taken.has(color) && taken.size < RUN_COLORS.length) {
      let slot = RUN_COLORS.indexOf(color as (typeof RUN_COLORS)[number]);
      do slot = (slot + 1) % RUN_COLORS.length;
      while (taken.has(RUN_COLORS[slot]!));
      color = RUN_COLORS[slot]!;
    }
    taken.add(color);
    out.set(key, color);
  }
  return out;
}

/** `#rrggbb` at the given opacity, as `rgba(…)`. */
export function withAlpha(color: string, alpha: number): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(color.trim());
  if (!m) return color;
  return `rgba(${Number.parseInt(m[1]!, 16)}, ${Number.parseInt(m[2]!, 16)}, ${Number.parseInt(m[3]!, 16)}, ${alpha})`;
}
