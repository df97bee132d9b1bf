// The Overview tab: the run's fields as the seed lists them, then Config, Summary and the
// artifacts it produced. Notes and tags are edited in place; every long value truncates to
// one line with the whole value on hover and a copy button.
import type { RunView } from '../../common/runPageProtocol';
import type { WireValue } from '../../common/wire';
import { button, el } from '../shared/dom';
import {
  formatBytes,
  formatCommand,
  formatDuration,
  formatTime,
  formatWire,
  formatWireExact,
  plural,
} from '../shared/format';
import { compareNatural } from '../shared/sections';
import type { RunPageContext } from './context';
import type { RunTab } from './tabs';

export class OverviewTab implements RunTab {
  readonly element = el('div', { className: 'tab-panel overview', attrs: { role: 'tabpanel', id: 'panel-overview', 'aria-labelledby': 'tab-overview' } });
  private _editingNotes = false;
  private _tagInputOpen = false;
  private _configFilter = '';
  private _summaryFilter = '';

  constructor(private readonly _ctx: RunPageContext) {}

  show(): void {}

  update(): void {
    // Keep an open editor (and what was typed into it) while live updates arrive.
    if (this._editingNotes || this._tagInputOpen) {
      this.refreshLiveFields();
      return;
    }
    this.render();
  }

  private render(): void {
    const run = this._ctx.run;
    const scrollTop = this.element.scrollTop;
    const sections = [
      el('section', 'overview-section', this.fieldsTable(run)),
      this.keyValueSection('Config', 'config', run.config, this._configFilter, (f) => (this._configFilter = f)),
      this.keyValueSection('Summary', 'summary', run.summary, this._summaryFilter, (f) => (this._summaryFilter = f)),
      this.artifactOutputs(run),
      run.alerts.length > 0 ? this.alerts(run) : null,
      run.problems.length > 0 ? this.problems(run) : null,
    ];
    this.element.replaceChildren(...sections.filter((s): s is HTMLElement => s !== null));
    this.element.scrollTop = scrollTop;
  }

  private refreshLiveFields(): void {
    const run = this._ctx.run;
    for (const [field, text] of [
      ['state', run.state],
      ['duration', formatDuration(run.durationSec)],
      ['runtime', formatDuration(run.runtimeSec)],
    ] as const) {
      const cell = this.element.querySelector<HTMLElement>(`[data-field="${field}"] .value-text`);
      if (cell) cell.textContent = text;
    }
  }

  private fieldsTable(run: RunView): HTMLElement {
    const meta = run.meta;
    const git = meta.git;
    const hw = meta.hardware;
    const gpus = hw?.gpus ?? [];
    const gpuText = gpus.length > 0 ? summarizeGpus(gpus) : '';
    const hardware = [
      hw?.cpu_model ? `${hw.cpu_model}${hw.cpu_count ? ` (${hw.cpu_count} cores)` : ''}` : hw?.cpu_count ? `${hw.cpu_count} CPU cores` : '',
      hw?.memory_total ? `${formatBytes(hw.memory_total)} RAM` : '',
      gpuText,
    ].filter(Boolean);
    const command = meta.command ?? run.command;
    const rows: (HTMLElement | null)[] = [
      this.field('Author', meta.author),
      this.field('Command', command && command.length > 0 ? formatCommand(command) : run.program ?? undefined, { mono: true }),
      this.notesField(run),
      this.field('Duration', formatDuration(run.durationSec), { key: 'duration', title: 'Active time, pauses between resumed segments excluded' }),
      this.gitField(git),
      this.field('Host name', meta.host ?? run.host ?? undefined),
      this.field('Name', run.name),
      this.field('OS', meta.os),
      this.field('Python executable', meta.python?.executable, { mono: true }),
      this.field('Python version', meta.python?.version),
      this.field('Run path', run.path, { mono: true }),
      this.field('Runtime', formatDuration(run.runtimeSec), { key: 'runtime', title: 'Wall clock from start to end' }),
      this.field('Start time', formatTime(run.startTime)),
      this.stateField(run),
      this.field('System hardware', hardware.join(' · ') || undefined),
      this.tagsField(run),
      this.field('SDK version', meta.sdk_version),
    ];
    const extra: (HTMLElement | null)[] = [
      run.group ? this.field('Group', run.group) : null,
      run.jobType ? this.field('Job type', run.jobType) : null,
      run.forkOf ? this.field('Forked from', `${run.forkOf.run} at step ${run.forkOf.step}`) : null,
      run.exitCode !== null ? this.field('Exit code', String(run.exitCode)) : null,
      meta.cwd ?? run.cwd ? this.field('Working directory', meta.cwd ?? run.cwd ?? undefined, { mono: true }) : null,
      run.segments.length > 1 ? this.field('Segments', `${run.segments.length} (resumed ${run.segments.length - 1}×)`) : null,
    ];
    return el(
      'table',
      { className: 'fields', attrs: { 'aria-label': 'Run overview' } },
      el('tbody', {}, ...rows, ...extra),
    );
  }

  private field(label: string, value: string | undefined, options: { mono?: boolean; key?: string; title?: string } = {}): HTMLElement {
    const row = el('tr', { attrs: { 'data-field': options.key ?? label.toLowerCase().replace(/\s+/g, '-') } });
    row.append(el('th', { text: label, title: options.title ?? '', attrs: { scope: 'row' } }));
    row.append(valueCell(value, this._ctx, options.mono ?? false));
    return row;
  }

  private gitField(git: RunView['meta']['git']): HTMLElement {
    const row = el('tr', { attrs: { 'data-field': 'git-repository' } }, el('th', { text: 'Git repository', attrs: { scope: 'row' } }));
    if (!git || (!git.remote && !git.commit)) {
      row.append(valueCell(undefined, this._ctx, false));
      return row;
    }
    const cell = el('td', 'value git');
    if (git.remote) cell.append(valueLine(git.remote, this._ctx, true));
    const detail = [
      git.branch ? `branch ${git.branch}` : '',
      git.commit ? `commit ${git.commit.slice(0, 10)}` : '',
      git.dirty ? 'uncommitted changes' : '',
    ].filter(Boolean);
    if (detail.length > 0) {
      const line = valueLine(detail.join(' · '), this._ctx, false, git.commit ?? undefined);
      line.classList.add('muted');
      cell.append(line);
    }
    row.append(cell);
    return row;
  }

  private stateField(run: RunView): HTMLElement {
    const row = el('tr', { attrs: { 'data-field': 'state' } }, el('th', { text: 'State', attrs: { scope: 'row' } }));
    const badge = el('span', { className: `state-badge state-${run.state}` }, el('span', { className: 'value-text', text: run.state }));
    const cell = el('td', 'value', badge);
    if (this._ctx.deleted) cell.append(el('span', { className: 'state-badge state-deleted', text: 'deleted' }));
    row.append(cell);
    return row;
  }

  private notesField(run: RunView): HTMLElement {
    const row = el('tr', { attrs: { 'data-field': 'description' } }, el('th', { text: 'Description', attrs: { scope: 'row' } }));
    const cell = el('td', 'value notes');
    row.append(cell);
    const showText = (notes: string): void => {
      this._editingNotes = false;
      const text = el('div', {
        className: notes ? 'notes-text' : 'notes-text empty',
        text: notes || 'Add a description…',
      });
      const edit = button({ icon: 'edit', title: 'Edit description', className: 'icon-btn edit-notes', onClick: () => showEditor() });
      text.addEventListener('dblclick', () => showEditor());
      cell.replaceChildren(el('div', 'notes-view', text, this._ctx.deleted ? null : edit));
    };
    const showEditor = (): void => {
      if (this._ctx.deleted) return;
      this._editingNotes = true;
      const area = el('textarea', { className: 'notes-editor', attrs: { rows: '4', 'aria-label': 'Description' } });
      area.value = run.notes;
      const save = (): void => {
        this._ctx.post({ type: 'setNotes', notes: area.value });
        // Shown at once; the host's update confirms it.
        showText(area.value);
      };
      area.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) save();
        if (e.key === 'Escape') {
          this._editingNotes = false;
          this.render();
        }
      });
      cell.replaceChildren(
        area,
        el(
          'div',
          'editor-actions',
          button({ label: 'Save', className: 'btn primary', onClick: save }),
          button({ label: 'Cancel', className: 'btn', onClick: () => ((this._editingNotes = false), this.render()) }),
          el('span', { className: 'hint', text: 'Ctrl+Enter to save, Escape to cancel' }),
        ),
      );
      area.focus();
    };
    showText(run.notes);
    return row;
  }

  private tagsField(run: RunView): HTMLElement {
    const row = el('tr', { attrs: { 'data-field': 'tags' } }, el('th', { text: 'Tags', attrs: { scope: 'row' } }));
    const list = el('div', { className: 'tag-list', attrs: { role: 'list' } });
    const setTags = (tags: readonly string[]): void => this._ctx.post({ type: 'setTags', tags });
    for (const tag of run.tags) {
      const chip = el('span', { className: 'tag', attrs: { role: 'listitem' } }, el('span', { text: tag }));
      if (!this._ctx.deleted) {
        chip.append(
          button({ icon: 'close', title: `Remove tag ${tag}`, className: 'icon-btn tag-remove', onClick: () => setTags(run.tags.filter((t) => t !== tag)) }),
        );
      }
      list.append(chip);
    }
    if (!this._ctx.deleted) {
      const add = button({ icon: 'plus', label: run.tags.length === 0 ? 'Add tag' : undefined, title: 'Add a tag', className: 'btn add-tag', onClick: () => openInput() });
      list.append(add);
      const openInput = (): void => {
        this._tagInputOpen = true;
        const input = el('input', { className: 'tag-input', attrs: { type: 'text', 'aria-label': 'New tag', placeholder: 'tag' } });
        const commit = (): void => {
          this._tagInputOpen = false;
          const value = input.value.trim();
          if (value && !run.tags.includes(value)) setTags([...run.tags, value]);
          else this.render();
        };
        input.addEventListener('keydown', (e) => {
          if (e.key === 'Enter') commit();
          if (e.key === 'Escape') {
            this._tagInputOpen = false;
            this.render();
          }
        });
        input.addEventListener('blur', () => {
          if (this._tagInputOpen) commit();
        });
        add.replaceWith(input);
        input.focus();
      };
    }
    row.append(el('td', 'value', list));
    return row;
  }

  private keyValueSection(
    title: string,
    id: string,
    values: Readonly<Record<string, WireValue>>,
    filter: string,
    setFilter: (f: string) => void,
  ): HTMLElement {
    const keys = Object.keys(values).sort(compareNatural);
    const section = el('section', { className: 'overview-section', attrs: { 'data-section': id } });
    const header = el('div', 'section-header', el('h2', { text: title }), el('span', { className: 'count', text: String(keys.length) }));
    section.append(header);
    if (keys.length === 0) {
      section.append(el('p', { className: 'empty', text: id === 'config' ? 'No config was logged.' : 'No summary values yet.' }));
      return section;
    }
    const body = el('tbody');
    const table = el('table', { className: 'kv', attrs: { 'aria-label': title } }, body);
    const fill = (): void => {
      const f = filter.trim().toLowerCase();
      const shown = keys.filter((k) => !f || k.toLowerCase().includes(f));
      body.replaceChildren(
        ...shown.map((k) => el('tr', {}, el('th', { text: k, title: k, attrs: { scope: 'row' } }), valueCell(formatWire(values[k]), this._ctx, true, formatWireExact(values[k])))),
      );
      if (shown.length === 0) body.append(el('tr', {}, el('td', { className: 'empty', text: 'No key matches.', attrs: { colspan: '2' } })));
    };
    if (keys.length > 8) {
      const search = el('input', { className: 'filter-input', attrs: { type: 'search', placeholder: `Filter ${title.toLowerCase()} keys`, 'aria-label': `Filter ${title} keys` } });
      search.value = filter;
      search.addEventListener('input', () => {
        filter = search.value;
        setFilter(filter);
        fill();
      });
      header.append(search);
    }
    fill();
    section.append(table);
    return section;
  }

  private artifactOutputs(run: RunView): HTMLElement {
    const outputs = run.artifacts.filter((a) => a.direction === 'output');
    const section = el(
      'section',
      { className: 'overview-section', attrs: { 'data-section': 'artifact-outputs' } },
      el('div', 'section-header', el('h2', { text: 'Artifact outputs' }), el('span', { className: 'count', text: String(outputs.length) })),
    );
    if (outputs.length === 0) {
      section.append(el('p', { className: 'empty', text: 'This run logged no artifacts.' }));
      return section;
    }
    const body = el('tbody');
    for (const a of outputs) {
      body.append(
        el(
          'tr',
          {},
          el('td', {}, el('span', { className: 'artifact-name', text: `${a.name}:${a.version}`, title: `${a.name}:${a.version}` })),
          el('td', { className: 'muted', text: a.type }),
          el('td', { className: 'num', text: formatBytes(a.size) }),
        ),
      );
    }
    section.append(
      el('table', { className: 'grid-table', attrs: { 'aria-label': 'Artifact outputs' } }, el('thead', {}, el('tr', {}, el('th', { text: 'Name' }), el('th', { text: 'Type' }), el('th', { className: 'num', text: 'Size' }))), body),
    );
    return section;
  }

  private alerts(run: RunView): HTMLElement {
    return el(
      'section',
      { className: 'overview-section', attrs: { 'data-section': 'alerts' } },
      el('div', 'section-header', el('h2', { text: 'Alerts' }), el('span', { className: 'count', text: String(run.alerts.length) })),
      el(
        'ul',
        'alert-list',
        ...run.alerts.map((a) =>
          el(
            'li',
            `alert alert-${a.level.toLowerCase()}`,
            el('span', { className: 'alert-level', text: a.level }),
            el('span', { className: 'alert-title', text: a.title }),
            el('span', { className: 'alert-text', text: a.text }),
            el('span', { className: 'muted', text: formatTime(a.ts) }),
          ),
        ),
      ),
    );
  }

  private problems(run: RunView): HTMLElement {
    return el(
      'section',
      { className: 'overview-section', attrs: { 'data-section': 'problems' } },
      el('div', 'section-header', el('h2', { text: 'Problems reading this run' }), el('span', { className: 'count', text: plural(run.problems.length, 'line') })),
      el(
        'ul',
        'problem-list',
        ...run.problems.slice(0, 50).map((p) => el('li', { text: `${p.file}:${p.line} (${p.kind}) ${p.message}` })),
      ),
    );
  }
}

function summarizeGpus(gpus: readonly { readonly name?: string; readonly memory_total?: number }[]): string {
  const counts = new Map<string, number>();
  for (const g of gpus) {
    const label = `${g.name ?? 'GPU'}${g.memory_total ? ` ${formatBytes(g.memory_total)}` : ''}`;
    counts.set(label, (counts.get(label) ?? 0) + 1);
  }
  return [...counts].map(([label, n]) => (n > 1 ? `${n} × ${label}` : label)).join(', ');
}

/** One line of value: truncated with the whole value on hover, and a copy button. */
function valueLine(text: string, ctx: RunPageContext, mono: boolean, full = text): HTMLElement {
  return el(
    'div',
    'value-line',
    el('span', { className: mono ? 'value-text mono' : 'value-text', text, title: full }),
    button({ icon: 'copy', title: 'Copy', className: 'icon-btn copy', onClick: () => ctx.copy(full) }),
  );
}

function valueCell(value: string | undefined, ctx: RunPageContext, mono: boolean, full?: string): HTMLElement {
  if (value === undefined || value === '') return el('td', 'value', el('span', { className: 'value-text empty', text: '–' }));
  return el('td', 'value', valueLine(value, ctx, mono, full ?? value));
}
