// Run colours. A run keeps its colour on every page and whatever else is selected: the colour
// comes from a hash of the run's key, and on a compare page a run whose slot is already taken
// by an older run takes the next free one.

export const RUN_COLORS = [
  '#5387dd',
  '#da4c4c',
  '#479a5f',
  '#e1a33a',
  '#7d54b2',
  '#229487',
  '#db6ca0',
  '#a46750',
  '#87b03a',
  '#3d8fb8',
  '#c565c7',
  '#e87b3c',
  '#5bb5a6',
  '#8a8f3a',
  '#9e6fd6',
  '#d1675d',
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
