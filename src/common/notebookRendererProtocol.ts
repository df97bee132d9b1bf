// Messages between the notebook renderer (a run's cell output, in the notebook's webview) and
// the extension host, which reads the run from the store. One typed protocol, both sides.

/** `application/vnd.runlog.run+json`: what the SDK's `Run._repr_mimebundle_` puts in a cell output. */
export const RUN_MIME_TYPE = 'application/vnd.runlog.run+json';
export const RENDERER_ID = 'runlog.runRenderer';

export interface RunOutputPayload {
  readonly version: number;
  readonly project: string;
  readonly id: string;
  readonly name?: string;
  /** The run folder when the cell ran. */
  readonly dir?: string;
}

export type RendererToHost =
  | { readonly type: 'watch'; readonly outputId: string; readonly project: string; readonly runId: string; readonly dir?: string }
  | { readonly type: 'unwatch'; readonly outputId: string };

export interface RunSeries {
  readonly key: string;
  readonly steps: readonly number[];
  readonly values: readonly (number | null)[];
}

export interface RunView {
  readonly name: string;
  readonly state: string;
  /** Last step logged, or null before the first. */
  readonly step: number | null;
  readonly metrics: readonly RunSeries[];
  /** How many metrics the run has beyond those charted. */
  readonly more: number;
}

export type HostToRenderer =
  | { readonly type: 'run'; readonly outputId: string; readonly run: RunView }
  | { readonly type: 'missing'; readonly outputId: string; readonly message: string };
