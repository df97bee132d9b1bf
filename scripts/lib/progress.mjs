// Long, otherwise silent steps (npm installing code-server, packaging the vsix) say what they
// are doing, how long they usually take, and, every so often, that they are still at it.

/**
 * Prints `what` with its usual duration now, then a line every `everyMs` while `work` runs.
 * @template T
 * @param {string} what e.g. "installing code-server 4.139.1 into …"
 * @param {string} usually e.g. "1–3 minutes, once"
 * @param {() => Promise<T>} work
 * @param {{ everyMs?: number, log?: (line: string) => void, now?: () => number }} [options]
 * @returns {Promise<T>}
 */
export async function withProgress(what, usually, work, options = {}) {
  const log = options.log ?? ((line) => console.log(line));
  const now = options.now ?? Date.now;
  const started = now();
  log(`${what} (usually ${usually})…`);
  const timer = setInterval(() => {
    log(`  … still ${what.replace(/^\[[^\]]*\]\s*/, '')}: ${formatElapsed(now() - started)} so far (usually ${usually})`);
  }, options.everyMs ?? 20_000);
  try {
    const result = await work();
    log(`  done in ${formatElapsed(now() - started)}`);
    return result;
  } finally {
    clearInterval(timer);
  }
}

/** @param {number} ms */
export function formatElapsed(ms) {
  const s = Math.round(ms / 1000);
  return s < 60 ? `${s} s` : `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, '0')} s`;
}
