// Timing marks a page leaves on its body for tests and the benchmark: `data-<name>-at`, the epoch
// milliseconds (this page's clock; one machine, so the host's and Node's agree) when the page first
// reached a stage. Only the first time counts.

/** Epoch milliseconds on this page's clock. */
export function now(): number {
  return performance.timeOrigin + performance.now();
}

/** Marks `name` (`data-<name>-at` on body) unless it was marked before. */
export function markOnce(name: string, at = now()): void {
  const attr = `${name}At`;
  if (document.body.dataset[attr] === undefined) document.body.dataset[attr] = String(Math.round(at));
}

/** Whether `name` was marked. */
export function marked(name: string): boolean {
  return document.body.dataset[`${name}At`] !== undefined;
}
