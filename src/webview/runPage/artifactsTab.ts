// The Artifacts tab: what the run used and what it produced, with versions and digests.
import type { ArtifactRef } from '../../core/model';
import { button, el } from '../shared/dom';
import { formatBytes, formatTime } from '../shared/format';
import type { RunPageContext } from './context';
import type { RunTab } from './tabs';

export class ArtifactsTab implements RunTab {
  readonly element = el('div', { className: 'tab-panel artifacts-tab', attrs: { role: 'tabpanel', id: 'panel-artifacts', 'aria-labelledby': 'tab-artifacts' } });
  private _signature = '';

  constructor(private readonly _ctx: RunPageContext) {}

  show(): void {
    this.render(true);
  }

  update(): void {
    this.render(false);
  }

  private render(force: boolean): void {
    const artifacts = this._ctx.run.artifacts;
    const signature = JSON.stringify(artifacts);
    if (!force && signature === this._signature) return;
    this._signature = signature;
    if (artifacts.length === 0) {
      this.element.replaceChildren(
        el(
          'div',
          'empty-state',
          el('h2', { text: 'No artifacts' }),
          el('p', { text: 'Artifacts the run logs with ' }, el('code', { text: 'run.log_artifact(…)' }), ' or uses with ', el('code', { text: 'run.use_artifact(…)' }), ' appear here.'),
        ),
      );
      return;
    }
    this.element.replaceChildren(
      this.table('Output artifacts', 'output', artifacts.filter((a) => a.direction === 'output')),
      this.table('Input artifacts', 'input', artifacts.filter((a) => a.direction === 'input')),
    );
  }

  private table(title: string, direction: 'input' | 'output', list: readonly ArtifactRef[]): HTMLElement {
    const section = el(
      'section',
      { className: 'overview-section', attrs: { 'data-direction': direction } },
      el('div', 'section-header', el('h2', { text: title }), el('span', { className: 'count', text: String(list.length) })),
    );
    if (list.length === 0) {
      section.append(el('p', { className: 'empty', text: direction === 'output' ? 'This run logged no artifacts.' : 'This run used no artifacts.' }));
      return section;
    }
    const body = el('tbody');
    for (const a of list) {
      const action = (kind: 'open' | 'reveal'): void => this._ctx.post({ type: 'artifactAction', action: kind, direction: a.direction, name: a.name, version: a.version });
      const short = a.digest.replace(/^sha256:/, '').slice(0, 12);
      body.append(
        el(
          'tr',
          { attrs: { 'data-artifact': `${a.name}:${a.version}` } },
          el('td', {}, el('span', { className: 'artifact-name', text: a.name, title: a.name })),
          el('td', { className: 'muted', text: a.type }),
          el('td', {}, el('span', { className: 'version-badge', text: a.version })),
          el(
            'td',
            'digest-cell',
            el('span', { className: 'mono', text: short, title: a.digest }),
            button({ icon: 'copy', title: 'Copy digest', className: 'icon-btn copy', onClick: () => this._ctx.copy(a.digest) }),
          ),
          el('td', { className: 'num', text: formatBytes(a.size), title: `${a.size.toLocaleString('en')} bytes` }),
          el('td', { className: 'muted nowrap', text: formatTime(a.ts) }),
          el(
            'td',
            'row-actions',
            button({ icon: 'open', title: `Open a file of ${a.name}:${a.version}`, onClick: () => action('open') }),
            button({ icon: 'folder', title: `Reveal ${a.name}:${a.version}`, onClick: () => action('reveal') }),
          ),
        ),
      );
    }
    section.append(
      el(
        'table',
        { className: 'grid-table', attrs: { 'aria-label': title } },
        el(
          'thead',
          {},
          el(
            'tr',
            {},
            el('th', { text: 'Name' }),
            el('th', { text: 'Type' }),
            el('th', { text: 'Version' }),
            el('th', { text: 'Digest' }),
            el('th', { className: 'num', text: 'Size' }),
            el('th', { text: 'Logged' }),
            el('th', { className: 'actions-head', attrs: { 'aria-label': 'Actions' } }),
          ),
        ),
        body,
      ),
    );
    return section;
  }
}
