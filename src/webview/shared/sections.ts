/** The section a metric belongs to: everything before its last `/`; top-level metrics go to "Charts". */
export const DEFAULT_SECTION = 'Charts';

export function sectionOf(key: string): string {
  const slash = key.lastIndexOf('/');
  return slash > 0 ? key.slice(0, slash) : DEFAULT_SECTION;
}

const collator = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

export function compareNatural(a: string, b: string): number {
  return collator.compare(a, b);
}

/** Section names in display order: "Charts" first, then natural order. */
export function sortSections(names: Iterable<string>): string[] {
  return [...new Set(names)].sort((a, b) => (a === DEFAULT_SECTION ? -1 : b === DEFAULT_SECTION ? 1 : compareNatural(a, b)));
}

/** Keys grouped by section: "Charts" first, then sections and keys in natural order. */
export function groupBySection(keys: readonly string[]): { name: string; keys: string[] }[] {
  const map = new Map<string, string[]>();
  for (const key of keys) {
    const section = sectionOf(key);
    let list = map.get(section);
    if (!list) map.set(section, (list = []));
    list.push(key);
  }
  return sortSections(map.keys()).map((name) => ({ name, keys: map.get(name)!.sort(compareNatural) }));
}

/**
 * Whether a metric name matches the search box: every whitespace-separated word occurs
 * (case-insensitive); a box that parses as a regular expression in `/…/` is used as one.
 */
export function matchesMetricFilter(key: string, filter: string): boolean {
  const f = filter.trim();
  if (!f) return true;
  const re = /^\/(.+)\/([a-z]*)$/.exec(f);
  if (re) {
    try {
      return new RegExp(re[1]!, re[2]!.includes('i') ? 'i' : '').test(key);
    } catch {
      // not a valid pattern: fall back to words
    }
  }
  const lower = key.toLowerCase();
  return f
    .toLowerCase()
    .split(/\s+/)
    .every((w) => lower.includes(w));
}
