// Every sweep surface of the editor, built together: the service, the Sweeps view, the code lens,
// the commands, the sweep pages and the `runlog-sweep` task type.

import * as vscode from 'vscode';
import type { StoreService } from '../store/StoreService';
import { Disposable } from '../util/dispose';
import { registerSweepCodeLens, SweepCodeLensProvider } from './SweepCodeLensProvider';
import { SweepCommands } from './SweepCommands';
import { SweepExplorer } from './SweepExplorer';
import { SweepPageManager } from './SweepPagePanel';
import { SweepService } from './SweepService';
import { SweepTaskProvider } from './SweepTaskProvider';
import { SWEEP_TASK_TYPE } from './sweepTaskDefinition';

export class SweepSurfaces extends Disposable {
  readonly service: SweepService;
  readonly explorer: SweepExplorer;
  readonly pages: SweepPageManager;
  readonly commands: SweepCommands;

  constructor(extensionUri: vscode.Uri, stores: StoreService) {
    super();
    this.service = this._register(new SweepService(stores));
    this.explorer = this._register(new SweepExplorer(this.service));
    this.pages = this._register(new SweepPageManager(extensionUri, this.service));
    this.commands = this._register(new SweepCommands(extensionUri, stores, this.service, this.explorer, this.pages));
    const lens = this._register(new SweepCodeLensProvider());
    this._register(registerSweepCodeLens(lens));
    this._register(vscode.tasks.registerTaskProvider(SWEEP_TASK_TYPE, new SweepTaskProvider(extensionUri, stores, this.service)));
  }
}
