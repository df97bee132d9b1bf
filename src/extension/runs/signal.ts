// A minimal typed event, for the parts that must not import `vscode` (they are unit-tested in plain Node).

export interface Subscription {
  dispose(): void;
}

export type Listen<T> = (listener: (value: T) => void) => Subscription;

export class Signal<T> {
  private listeners: ((value: T) => void)[] = [];

  readonly event: Listen<T> = (listener) => {
    this.listeners.push(listener);
    return {
      dispose: () => {
        this.listeners = this.listeners.filter((l) => l !== listener);
      },
    };
  };

  fire(value: T): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(value);
      } catch (e) {
        console.error('Runlog: a listener failed', e);
      }
    }
  }

  dispose(): void {
    this.listeners = [];
  }
}
