// The run page: a header with the run's name and state, tabs left to right, one panel each.
import { assertNever } from '../../common/guards';
import { RUN_PAGE_TABS, type HostToRunPage, type RunPageTab } from '../../common/runPageProtocol';
import { unpackMessage } from '../../common/wire';
import { button, el } from '../shared/dom';
import { formatDuration } from '../shared/format';
import { onThemeChange } from '../shared/theme';
import { ArtifactsTab } from './artifactsTab';
import { ChartsTab } from './chartsTab';
import { RunPageContext } from './context';
import { FilesTab } from './filesTab';
import { LogsTab } from './logsTab';
import { MediaTab } from './mediaTab';
import { OverviewTab } from './overviewTab';
import { TAB_LABELS, type RunTab } from './tabs';
import { splitRunFiles } from './fileGroups';
import { revealBidi } from '../../common/displayText';
import { markOnce as mark, now } from '../shared/marks';

class RunPage {
  private readonly _ctx = new RunPageContext();
  private readonly _root = document.getElementById('root')!;
  private readonly _name = el('h1', 'run-name');
  private readonly _state = el('span', 'state-badge');
  private readonly _meta = el('span', 'run-meta');
  private readonly _banner = el('div', { className: 'banner deleted-banner', attrs: { role: 'alert' } });
  private readonly _tabButtons = new Map<RunPageTab, HTMLButtonElement>();
  private readonly _overview = new OverviewTab(this._ctx);
  private readonly _charts: ChartsTab;
  private readonly _system: ChartsTab;
  private readonly _logs = new LogsTab(this._ctx);
  private readonly _files = new FilesTab(this._ctx);
  private readonly _artifacts = new ArtifactsTab(this._ctx);
  private readonly _media = new MediaTab(this._ctx);
  private readonly _tabs: Record<RunPageTab, RunTab>;
  private readonly _main = el('main', 'tab-panels');
  private _firstChartReported = false;
  private _started = false;
  private _current: RunPageTab | undefined;
  /** Each tab keeps its own scroll position in the shared scroll container. */
  private readonly _scroll = new Map<RunPageTab, number>();

  constructor() {
    const hooks = (self: () => ChartsTab) => ({
      onSettingsChanged: () => (self() === this._charts ? this._system : this._charts).settingsChanged(),
      onFirstChartDrawn: () => this.reportFirstChart(),
    });
    this._charts = new ChartsTab(this._ctx, 'history', hooks(() => this._charts));
    this._system = new ChartsTab(this._ctx, 'system', hooks(() => this._system));
    this._tabs = { overview: this._overview, charts: this._charts, media: this._media, system: this._system, logs: this._logs, files: this._files, artifacts: this._artifacts };
    this._banner.hidden = true;
    this._root.append(el('div', { className: 'loading-page', text: 'Loading run…' }));
    window.addEventListener('message', (event: MessageEvent<HostToRunPage>) => this.onMessage(unpackMessage(event.data)));
    onThemeChange(() => {
      this._charts.applyTheme();
      this._system.applyTheme();
      this._media.applyTheme();
    });
    this._ctx.post({ type: 'ready' });
  }

  private reportFirstChart(): void {
    if (this._firstChartReported) return;
    this._firstChartReported = true;
    const at = now();
    document.body.dataset.firstChartAt = String(at);
    this._ctx.post({ type: 'firstChartDrawn', at });
  }

  private start(): void {
    this._started = true;
    const tablist = el('nav', { className: 'tabs', attrs: { role: 'tablist', 'aria-label': 'Run page' } });
    for (const tab of RUN_PAGE_TABS) {
      const b = el('button', {
        className: 'tab',
        text: TAB_LABELS[tab],
        attrs: { type: 'button', role: 'tab', id: `tab-${tab}`, 'aria-controls': `panel-${tab}`, 'data-tab': tab },
      });
      b.addEventListener('click', () => this.select(tab));
      b.addEventListener('keydown', (e) => this.onTabKey(e, tab));
      this._tabButtons.set(tab, b);
      tablist.append(b);
    }
    const header = el(
      'header',
      'page-header',
      el('div', 'title-row', this._name, this._state, this._meta, el('span', 'spacer'), button({ icon: 'copy', title: 'Copy run path', onClick: () => this._ctx.copy(this._ctx.run.path) })),
      tablist,
    );
    for (const tab of RUN_PAGE_TABS) {
      const panel = this._tabs[tab].element;
      panel.hidden = true;
      this._main.append(panel);
    }
    this._root.replaceChildren(header, this._banner, this._main);
    this.select(this._ctx.state.tab, false);
  }

  private onTabKey(e: KeyboardEvent, tab: RunPageTab): void {
    const i = RUN_PAGE_TABS.indexOf(tab);
    let next: RunPageTab | undefined;
    if (e.key === 'ArrowRight') next = RUN_PAGE_TABS[(i + 1) % RUN_PAGE_TABS.length];
    else if (e.key === 'ArrowLeft') next = RUN_PAGE_TABS[(i - 1 + RUN_PAGE_TABS.length) % RUN_PAGE_TABS.length];
    else if (e.key === 'Home') next = RUN_PAGE_TABS[0];
    else if (e.key === 'End') next = RUN_PAGE_TABS[RUN_PAGE_TABS.length - 1];
    if (next) {
      e.preventDefault();
      this.select(next);
      this._tabButtons.get(next)?.focus();
    }
  }

  private select(tab: RunPageTab, save = true): void {
    if (this._current && this._current !== tab) this._scroll.set(this._current, this._main.scrollTop);
    const switching = this._current !== tab;
    this._current = tab;
    for (const [name, b] of this._tabButtons) {
      const active = name === tab;
      b.setAttribute('aria-selected', String(active));
      b.tabIndex = active ? 0 : -1;
      b.classList.toggle('active', active);
      this._tabs[name].element.hidden = !active;
    }
    if (save) this._ctx.update({ tab });
    this._tabs[tab].show();
    if (switching) this._main.scrollTop = this._scroll.get(tab) ?? 0;
  }

  private renderHeader(): void {
    const run = this._ctx.run;
    this._name.textContent = revealBidi(run.name);
    this._name.title = revealBidi(run.name);
    document.title = revealBidi(run.name);
    this._state.className = `state-badge state-${this._ctx.deleted ? 'deleted' : run.state}`;
    this._state.textContent = this._ctx.deleted ? 'deleted' : run.state;
    const parts = [run.path];
    if (run.lastStep !== null) parts.push(`step ${run.lastStep.toLocaleString('en')}`);
    parts.push(formatDuration(run.runtimeSec));
    this._meta.textContent = parts.join(' · ');
    for (const [tab, b] of this._tabButtons) {
      const count = tabCount(tab, this._ctx);
      b.textContent = count === undefined ? TAB_LABELS[tab] : `${TAB_LABELS[tab]} `;
      if (count !== undefined) b.append(el('span', { className: 'tab-count', text: count }));
    }
  }

  private onMessage(message: HostToRunPage): void {
    mark(message.type === 'series' ? 'series' : message.type === 'snapshot' ? 'snapshot' : 'message');
    switch (message.type) {
      case 'snapshot': {
        const fresh = !this._ctx.hasRun || this._ctx.run.key !== message.run.key || this._ctx.deleted;
        this._ctx.setRun(message.run);
        this._banner.hidden = true;
        if (!this._started) {
          // A fresh page opens on the charts when there are any; a restored one where it was.
          if (!this._ctx.restored) this._ctx.update({ tab: message.run.metrics.length > 0 ? 'charts' : 'overview' });
          this.start();
        } else if (fresh) {
          this._charts.reset();
          this._system.reset();
          this._logs.reset();
          this._media.reset();
        } else {
          // The host restarted its feed (store reopened): charts ask for their series again.
          this._charts.reset();
          this._system.reset();
          this._media.reset();
        }
        this.renderHeader();
        for (const tab of Object.values(this._tabs)) tab.update();
        this.select(this._ctx.state.tab, false);
        return;
      }
      case 'runPatch':
        if (!this._started || !this._ctx.hasRun || this._ctx.run.key !== message.key) return;
        this._ctx.setRun({ ...this._ctx.run, ...message.fields });
        this.renderHeader();
        for (const tab of Object.values(this._tabs)) tab.update();
        return;
      case 'series':
        (message.scope === 'history' ? this._charts : this._system).onSeries(message.series);
        return;
      case 'seriesTail':
        (message.scope === 'history' ? this._charts : this._system).onTails(message.tails);
        return;
      case 'zoomData':
        (message.scope === 'history' ? this._charts : this._system).onZoomData(message);
        return;
      case 'lines':
        this._logs.onLines(message.from, message.lines);
        return;
      case 'logLength':
        this._logs.setTotal(message.total);
        return;
      case 'logMatches':
        this._logs.onMatches(message);
        return;
      case 'mediaIndex':
      case 'tableRows':
        this._media.onMessage(message);
        return;
      case 'revealMetric':
        if (!this._started) return;
        if (this._ctx.state.metricFilter !== '') this._ctx.update({ metricFilter: '' });
        this.select('charts');
        this._charts.reveal(message.key);
        return;
      case 'runDeleted':
        this._ctx.markDeleted();
        if (!this._started) {
          this._root.replaceChildren(
            el('div', 'empty-state deleted-page', el('h2', { text: 'This run was deleted' }), el('p', { text: `The run ${message.key} is no longer in the store.` })),
          );
          return;
        }
        this._banner.replaceChildren(
          el('strong', { text: 'This run was deleted.' }),
          el('span', { text: ' Its files are gone from the store; the page shows what it last knew.' }),
        );
        this._banner.hidden = false;
        document.body.classList.add('run-deleted');
        this.renderHeader();
        this._overview.update();
        return;
      default:
        assertNever(message);
    }
  }
}

function tabCount(tab: RunPageTab, ctx: RunPageContext): string | undefined {
  const run = ctx.run;
  switch (tab) {
    case 'charts': {
      // define_metric(hidden=True) keys get no chart: not counted either.
      const shown = run.metrics.filter((m) => m.hidden !== true).length;
      return shown > 0 ? String(shown) : undefined;
    }
    case 'files': {
      // What the run saved; Runlog's own record files are behind the tab's disclosure.
      const saved = splitRunFiles(run.files).saved.length;
      return saved > 0 ? String(saved) : undefined;
    }
    case 'artifacts':
      return run.artifacts.length > 0 ? String(run.artifacts.length) : undefined;
    default:
      return undefined;
  }
}

mark('script');
new RunPage();
