import type { RunPageTab } from '../../common/runPageProtocol';

export interface RunTab {
  readonly element: HTMLElement;
  /** The tab became visible (build lazily, resize charts). */
  show(): void;
  /** The run's fields changed. */
  update(): void;
}

export const TAB_LABELS: Readonly<Record<RunPageTab, string>> = {
  overview: 'Overview',
  charts: 'Charts',
  media: 'Media',
  system: 'System',
  logs: 'Logs',
  files: 'Files',
  artifacts: 'Artifacts',
};
