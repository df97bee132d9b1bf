// The one way a test waits: poll for the state its assertion needs, with a generous ceiling.
// Shared by the suites inside the extension host (test/integration) and the ones that drive
// VS Code from outside (test/e2e, test/faults). Never wait for something that usually happens
// first, and never sleep a fixed time instead.

export type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

/**
 * Polls `probe` until it gives a truthy value, or fails naming `what` after `ms` (a ceiling for
 * a loaded machine, not an expectation). A probe that throws counts as "not yet"; the last error
 * is named in the failure.
 */
export async function eventually<T>(what: string, probe: Probe<T>, ms = 60_000, pollMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value) return value;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() > deadline) {
      const why = lastError instanceof Error ? ` (last error: ${lastError.message})` : '';
      throw new Error(`timed out after ${Math.round(ms / 1000)} s waiting for ${what}${why}`);
    }
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
