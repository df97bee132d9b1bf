// The run page's Media tab: the shared MediaView, asked for the run's media when first shown.
import type { MediaToPage } from '../../common/mediaProtocol';
import { el } from '../shared/dom';
import { MediaView } from '../media/mediaView';
import type { RunPageContext } from './context';
import type { RunTab } from './tabs';

export class MediaTab implements RunTab {
  readonly element = el('section', { className: 'tab-panel media-tab', attrs: { role: 'tabpanel', id: 'panel-media', 'aria-labelledby': 'tab-media' } });
  private readonly _view: MediaView;

  constructor(ctx: RunPageContext) {
    this._view = new MediaView((m) => ctx.post(m));
    this.element.append(this._view.element);
  }

  show(): void {
    this._view.show();
  }

  update(): void {}

  reset(): void {
    this._view.reset();
  }

  applyTheme(): void {
    this._view.applyTheme();
  }

  onMessage(message: MediaToPage): void {
    if (message.type === 'mediaIndex') this._view.setItems(message.items);
    else this._view.onTableRows(message);
  }
}
