import {
  defaultRunPageState,
  parseRunPageState,
  type RunPageState,
  type RunPageToHost,
  type RunView,
} from '../../common/runPageProtocol';
import { vscodeApi } from '../shared/vscodeApi';

/** What every tab of the run page shares: the run, the saved view state, the way to the host. */
export class RunPageContext {
  private readonly _api = vscodeApi<RunPageToHost, RunPageState>();
  private _state: RunPageState;
  private _run: RunView | undefined;
  private _deleted = false;
  /** True when the page was restored with the state an earlier page saved. */
  readonly restored: boolean;

  constructor() {
    const saved = parseRunPageState(this._api.getState());
    this.restored = saved !== undefined;
    this._state = saved ?? defaultRunPageState('');
  }

  get state(): RunPageState {
    return this._state;
  }

  get run(): RunView {
    if (!this._run) throw new Error('No run yet');
    return this._run;
  }

  get hasRun(): boolean {
    return this._run !== undefined;
  }

  get deleted(): boolean {
    return this._deleted;
  }

  setRun(run: RunView): void {
    if (this._state.key !== run.key) {
      this._state = this._state.key === '' ? { ...this._state, key: run.key } : defaultRunPageState(run.key);
    }
    this._run = run;
    this._deleted = false;
    this._api.setState(this._state);
  }

  markDeleted(): void {
    this._deleted = true;
  }

  update(patch: Partial<Omit<RunPageState, 'key'>>): void {
    this._state = { ...this._state, ...patch };
    if (this._state.key) this._api.setState(this._state);
  }

  post(message: RunPageToHost): void {
    this._api.postMessage(message);
  }

  copy(text: string): void {
    this.post({ type: 'copy', text });
  }
}
