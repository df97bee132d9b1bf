// Helpers shared by the suites that run inside the extension host.

type Probe<T> = () => T | undefined | false | Promise<T | undefined | false>;

/** Polls `probe` until it gives a truthy value, or fails naming `what` after `ms`. */
export async function eventually<T>(what: string, probe: Probe<T>, ms = 30_000, pollMs = 100): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
