// A set of listeners of one event: each hears it even when another throws.

import type { Unsubscribe } from '../model';

export class Listeners<T> {
  private readonly set = new Set<(value: T) => void>();

  add(listener: (value: T) => void): Unsubscribe {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(value: T): void {
    for (const listener of [...this.set]) {
      try {
        listener(value);
      } catch {
        // A listener's failure is its own; the others still hear about it.
      }
    }
  }

  clear(): void {
    this.set.clear();
  }
}
