import type * as vscode from 'vscode';

/**
 * Runs `flush` at most once per `intervalMs`, however often `schedule()` is called: the first
 * call after a quiet period flushes on the next tick, later calls join the pending flush.
 */
export class Throttle implements vscode.Disposable {
  private _timer: ReturnType<typeof setTimeout> | undefined;
  private _last = Number.NEGATIVE_INFINITY;
  private _disposed = false;

  constructor(
    private readonly _intervalMs: number,
    private readonly _flush: () => void,
  ) {}

  schedule(): void {
    if (this._disposed || this._timer !== undefined) return;
    const wait = Math.max(0, this._last + this._intervalMs - Date.now());
    this._timer = setTimeout(() => {
      this._timer = undefined;
      this._last = Date.now();
      if (!this._disposed) this._flush();
    }, wait);
  }

  dispose(): void {
    this._disposed = true;
    if (this._timer !== undefined) clearTimeout(this._timer);
    this._timer = undefined;
  }
}
