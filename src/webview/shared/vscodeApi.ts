interface VsCodeApi<TMessage, TState> {
  postMessage(message: TMessage): void;
  getState(): TState | undefined;
  setState(state: TState): void;
}

declare function acquireVsCodeApi<TMessage, TState>(): VsCodeApi<TMessage, TState>;

let api: unknown;

/** acquireVsCodeApi may be called once per page; every module shares this one handle. */
export function vscodeApi<TMessage, TState = unknown>(): VsCodeApi<TMessage, TState> {
  api ??= acquireVsCodeApi<TMessage, TState>();
  return api as VsCodeApi<TMessage, TState>;
}
