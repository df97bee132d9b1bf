// Abuse, in a real VS Code and its real Chromium: user text that is markup is shown as text
// and runs nothing, anywhere it appears (run page, compare page, explorer, notifications); every
// panel has a strict Content-Security-Policy; messages a webview sends are validated (unknown
// types, wrong shapes, paths that leave the run folder, runs of another project are refused).
// The store is a hostile one: run names, notes, tags, config keys and values, metric names,
// output lines, file names and alerts are each one of the payloads below.

import * as assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FrameLocator } from 'playwright-core';
import { revealBidi } from '../../src/common/displayText';
import { RunBuilder, thisProcess } from '../fixtures/runBuilder';
import { eventually, withVSCode, type VSCodeSession } from './harness';

export const PAYLOADS: readonly string[] = [
  '<img src=x onerror="document.body.dataset.pwned=\'img\'">',
  '<script>document.body.dataset.pwned="script"</script>',
  '<svg onload="document.body.dataset.pwned=\'svg\'"><circle r="9"/></svg>',
  '<iframe srcdoc="<script>parent.document.body.dataset.pwned=1</script>"></iframe>',
  '<a href="javascript:document.body.dataset.pwned=\'a\'">click me</a>',
  'javascript:document.body.dataset.pwned="url"',
  '<style>body{background:rgb(255,0,0)!important}*{display:none}</style>',
  '<link rel="stylesheet" href="https://evil.example/x.css">',
  '"><b onmouseover="document.body.dataset.pwned=\'attr\'">bold</b><"',
  "'; document.body.dataset.pwned='quote'; '",
  '<div style="position:fixed;inset:0;background:red;z-index:99999">cover</div>',
  'x" style="background:red" onfocus="document.body.dataset.pwned=\'focus\'" autofocus data-x="',
  '</textarea><script>document.body.dataset.pwned="ta"</script>',
  '<meta http-equiv="refresh" content="0;url=javascript:document.body.dataset.pwned=1">',
  '<base href="https://evil.example/">',
  '<form action="javascript:document.body.dataset.pwned=1"><button>go</button></form>',
  '<math><mtext><table><mglyph><style><img src=x onerror="document.body.dataset.pwned=\'math\'">',
  '${document.body.dataset.pwned="template"}',
  '{{constructor.constructor("document.body.dataset.pwned=1")()}}',
  '&lt;b&gt;entity&lt;/b&gt; &amp;',
  '<details open ontoggle="document.body.dataset.pwned=\'details\'">',
  '<object data="javascript:document.body.dataset.pwned=1"></object><embed src="javascript:1">',
  '<video><source onerror="document.body.dataset.pwned=\'video\'"></video>',
  '[open me](command:workbench.action.terminal.new) [web](https://evil.example)',
  '<x onclick=alert(1)>\u202eRTL\u202c ../../etc/passwd %2e%2e%2f',
];

const PROJECT = 'xss';
const ALL = { id: 'allpay01', name: 'all-payloads', key: `${PROJECT}/allpay01` };
const OTHER = { project: 'other', id: 'other001', name: 'other-run' };
const LIVE = { id: 'livealrt', name: 'live-alerts' };
const SECRET = 'SECRET-OUTSIDE-THE-RUN';

/** A file name for a payload: everything but `/` and NUL is allowed in a file name. */
function fileName(payload: string): string {
  return payload.replace(/\//g, '∕');
}

function writeHostileStore(workspace: string): void {
  const store = join(workspace, '.runlog');
  PAYLOADS.forEach((p, i) => {
    new RunBuilder(store, PROJECT, `pay${String(i).padStart(5, '0')}`)
      .init({ name: p, notes: p, tags: [p], group: i % 2 ? p : undefined, job_type: p })
      .config({ [p]: p, lr: i })
      .history(0, { [p]: i, loss: 1 })
      .history(1, { [p]: i + 1, loss: 0.5 })
      .summary({ [`s/${p}`]: p })
      .exit(0)
      .write();
  });
  const all = new RunBuilder(store, PROJECT, ALL.id)
    .init({ name: ALL.name, notes: PAYLOADS.join('\n'), tags: [...PAYLOADS], meta: { author: PAYLOADS[0], command: ['python', ...PAYLOADS], program: PAYLOADS[1] } })
    .config(Object.fromEntries(PAYLOADS.map((p, i) => [p, PAYLOADS[(i + 1) % PAYLOADS.length]])));
  for (let step = 0; step < 3; step++) all.history(step, Object.fromEntries(PAYLOADS.map((p, i) => [p, i + step])));
  all.summary(Object.fromEntries(PAYLOADS.map((p) => [`summary ${p}`, p])));
  PAYLOADS.forEach((p, i) => all.output(i % 2 ? 'stderr' : 'stdout', `${p}\n`));
  PAYLOADS.forEach((p) => all.file(`files/${fileName(p)}`, p));
  all.file('files/ok.txt', 'inside the run');
  all.alert(PAYLOADS[0]!, PAYLOADS[23]!, 'WARN');
  all.exit(0).write();
  // Links inside the run folder that lead out of it.
  const outside = join(workspace, '..', 'outside');
  mkdirSync(outside, { recursive: true });
  writeFileSync(join(outside, 'secret.txt'), SECRET);
  symlinkSync(join(outside, 'secret.txt'), join(all.dir, 'files', 'link-out.txt'));
  symlinkSync(outside, join(all.dir, 'files', 'linkdir'));

  new RunBuilder(store, OTHER.project, OTHER.id).init({ name: OTHER.name }).history(0, { loss: 1 }).exit(0).write();
  // A live run (its process is this test process) that will raise alerts.
  new RunBuilder(store, PROJECT, LIVE.id).now().init({ name: LIVE.name, ...thisProcess() }).history(0, { loss: 1 }).write();
}

function appendAlert(workspace: string, title: string, text: string): void {
  const dir = join(workspace, '.runlog', 'projects', PROJECT, 'runs', LIVE.id);
  const ts = Date.now() / 1000;
  writeFileSync(join(dir, 'events.jsonl'), `${JSON.stringify({ type: 'alert', ts, title, text, level: 'ERROR' })}\n${JSON.stringify({ type: 'heartbeat', ts })}\n`, { flag: 'a' });
}

/**
 * Runs in a webview's document: every element or attribute that could only come from markup in
 * user text. The page's own elements are built with createElement/textContent and have none.
 */
export const injectedElements = (root: unknown): string[] => {
  const doc = (root as { ownerDocument: { querySelectorAll(s: string): ArrayLike<{ tagName: string; attributes: ArrayLike<{ name: string; value: string }>; getAttribute(n: string): string | null }> } }).ownerDocument;
  const found: string[] = [];
  const banned = ['img', 'iframe', 'object', 'embed', 'video', 'audio', 'source', 'style', 'base', 'form', 'details', 'math', 'mglyph', 'frame', 'b', 'x', 'circle', 'a'];
  const all = doc.querySelectorAll('*');
  for (let i = 0; i < all.length; i++) {
    const e = all[i]!;
    const tag = e.tagName.toLowerCase();
    // VS Code's own default styles for webviews.
    const vscodeStyle = tag === 'style' && e.getAttribute('id') === '_defaultStyles';
    // The Files tab's own disclosure of the run's record files (no payload carries its class).
    const recordsDisclosure = tag === 'details' && e.getAttribute('class') === 'run-records';
    if (banned.includes(tag) && !vscodeStyle && !recordsDisclosure) found.push(`${tag}${e.getAttribute('id') ? `#${e.getAttribute('id')}` : ''}`);
    if (tag === 'meta' && (e.getAttribute('http-equiv') ?? '').toLowerCase() === 'refresh') found.push('meta refresh');
    const vscodeApi = tag === 'script' && ((e as unknown as { textContent: string | null }).textContent ?? '').trim().startsWith('globalThis.acquireVsCodeApi');
    if (tag === 'script' && e.getAttribute('nonce') === null && !vscodeApi) found.push('script without a nonce');
    if (tag === 'link' && !/\/media\/[\w.-]+\.css/.test(e.getAttribute('href') ?? '')) found.push(`link ${e.getAttribute('href')}`);
    if (tag === 'svg' && (e.getAttribute('class') ?? '') !== 'icon') found.push('svg that is not an icon');
    for (let j = 0; j < e.attributes.length; j++) {
      const a = e.attributes[j]!;
      if (a.name.toLowerCase().startsWith('on')) found.push(`${tag}[${a.name}]`);
      if (['href', 'src', 'action', 'formaction', 'data', 'srcdoc', 'autofocus'].includes(a.name.toLowerCase()) && tag !== 'link' && tag !== 'script') found.push(`${tag}[${a.name}]`);
    }
  }
  return found;
};

/** Runs in a webview's document: signs that a payload ran or styled the page. */
const pwnedSigns = (root: unknown): string[] => {
  const doc = (root as { ownerDocument: { body: { dataset: Record<string, string | undefined> }; defaultView: { getComputedStyle(e: unknown): { backgroundColor: string; display: string } } } }).ownerDocument;
  const signs: string[] = [];
  if (doc.body.dataset.pwned !== undefined) signs.push(`a payload ran: pwned=${doc.body.dataset.pwned}`);
  const style = doc.defaultView.getComputedStyle(doc.body);
  if (style.backgroundColor === 'rgb(255, 0, 0)') signs.push('a payload styled the page');
  if (style.display === 'none') signs.push('a payload hid the page');
  return signs;
};

const listenForViolations = (root: unknown): void => {
  const doc = root as { ownerDocument: { addEventListener(t: string, f: (e: { violatedDirective: string; sample?: string }) => void): void; body: { dataset: Record<string, string> } } };
  const d = doc.ownerDocument;
  d.addEventListener('securitypolicyviolation', (e) => {
    d.body.dataset.cspViolations = `${d.body.dataset.cspViolations ?? ''}${e.violatedDirective} ${e.sample ?? ''}\n`;
  });
};

const textOf = (root: unknown): string => (root as { ownerDocument: { body: { textContent: string | null } } }).ownerDocument.body.textContent ?? '';

/**
 * Webviews show bidirectional controls visibly (⟨U+202E⟩, issue 17): a payload holding one is
 * shown as text when either its raw or its revealed form is on the page.
 */
function shownIn(text: string, payload: string): boolean {
  return text.includes(payload) || text.includes(revealBidi(payload));
}

/** Texts read from a webview, each mapped back to the payload it shows. */
function asShown(texts: readonly string[]): string[] {
  return texts.map((t) => PAYLOADS.find((p) => p !== revealBidi(p) && revealBidi(p) === t) ?? t);
}

async function checkClean(frame: FrameLocator, where: string): Promise<void> {
  const body = frame.locator('body');
  assert.deepEqual(await body.evaluate(injectedElements), [], `${where}: elements or attributes from user text`);
  assert.deepEqual(await body.evaluate(pwnedSigns), [], where);
  assert.equal(await body.getAttribute('data-csp-violations'), null, `${where}: something tried to run and the CSP stopped it`);
}

function cspDirectives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map((parts) => [parts[0]!, parts.slice(1)]),
  );
}

async function assertStrictCsp(frame: FrameLocator, panel: string): Promise<void> {
  const policies = await frame.locator('meta[http-equiv="Content-Security-Policy"]').evaluateAll((metas) => metas.map((m) => (m as unknown as { getAttribute(n: string): string }).getAttribute('content')));
  assert.equal(policies.length, 1, `${panel}: ${policies.length} CSP meta elements`);
  const directives = cspDirectives(policies[0]!);
  assert.deepEqual(directives.get('default-src'), ["'none'"], `${panel}: ${policies[0]}`);
  assert.match((directives.get('script-src') ?? []).join(' '), /^'nonce-[A-Za-z0-9+/=]{16,}'$/, `${panel}: ${policies[0]}`);
  assert.ok(!directives.has('frame-src') && !directives.has('connect-src') && !directives.has('object-src'), `${panel} opens a source beyond default-src 'none': ${policies[0]}`);
  for (const [name, sources] of directives) {
    for (const source of sources) {
      assert.ok(!["'unsafe-inline'", "'unsafe-eval'", "'unsafe-hashes'", "'strict-dynamic'", '*', 'http:', 'https:', 'blob:', 'filesystem:'].includes(source), `${panel}: ${name} allows ${source}`);
      if (name !== 'img-src') assert.notEqual(source, 'data:', `${panel}: ${name} allows data:`);
    }
  }
  // Every script in the page carries the nonce the policy names.
  const nonce = /'nonce-([^']+)'/.exec(policies[0]!)![1];
  const scripts = await frame.locator('script').evaluateAll((s) => s.map((e) => {
    const script = e as unknown as { nonce: string; src: string; textContent: string | null };
    return { nonce: script.nonce, what: script.src || (script.textContent ?? '').slice(0, 80) };
  }));
  // VS Code itself puts its acquireVsCodeApi script first, before the page's policy applies.
  const own = scripts.filter((s) => !s.what.trim().startsWith('globalThis.acquireVsCodeApi'));
  assert.ok(own.length >= 1 && own.every((s) => s.nonce === nonce), `${panel}: scripts without the page's nonce ${nonce}: ${JSON.stringify(scripts)}`);
}

/**
 * Posts `message` to the extension exactly as the webview's own script does: acquireVsCodeApi()
 * .postMessage calls `__vscode_post_message__('onmessage', …)` on the webview's host frame.
 * `host` is that frame (the `iframe.webview` around the page's content frame).
 */
async function postFromWebview(host: FrameLocator, message: unknown): Promise<void> {
  await host.locator('body').evaluate((_body, m) => {
    (globalThis as unknown as { __vscode_post_message__(c: string, d: unknown): void }).__vscode_post_message__('onmessage', { message: m, transfer: undefined });
  }, message);
}

/** The host frame of the newest webview (where its messages to the extension go through). */
function webviewHost(vscode: VSCodeSession): FrameLocator {
  return vscode.page.locator('iframe.webview.ready').last().contentFrame();
}

async function editorTabs(vscode: VSCodeSession): Promise<string[]> {
  return vscode.page.locator('.tabs-container .tab').evaluateAll((tabs) => tabs.map((t) => (t as unknown as { getAttribute(n: string): string | null }).getAttribute('aria-label') ?? ''));
}

interface Notice {
  readonly text: string;
  readonly links: string[];
}

/** The notifications listed in the Notification Center (toasts are hidden in this harness). */
async function notifications(vscode: VSCodeSession): Promise<Notice[]> {
  await vscode.runCommand('Notifications: Show Notifications');
  const center = vscode.page.locator('.notifications-center');
  await center.waitFor({ state: 'visible' });
  const items = await center.locator('.notification-list-item').evaluateAll((nodes) =>
    nodes.map((n) => {
      const node = n as unknown as { querySelector(s: string): { textContent: string | null; querySelectorAll(s: string): ArrayLike<{ getAttribute(n: string): string | null }> } | null };
      const message = node.querySelector('.notification-list-item-message');
      const anchors = message ? Array.from(message.querySelectorAll('a')) : [];
      return { text: message?.textContent ?? '', links: anchors.map((a) => a.getAttribute('href') ?? a.getAttribute('data-href') ?? '(link)') };
    }),
  );
  await vscode.page.keyboard.press('Escape');
  return items;
}

async function waitForNotice(vscode: VSCodeSession, match: (n: Notice) => boolean, what: string, timeoutMs = 60_000): Promise<Notice> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const all = await notifications(vscode);
    const hit = all.find(match);
    if (hit) return hit;
    if (Date.now() > deadline) throw new Error(`no notification ${what}; shown: ${JSON.stringify(all.map((n) => n.text))}`);
    await vscode.page.waitForTimeout(500);
  }
}

async function selectTab(frame: FrameLocator, label: string): Promise<void> {
  await frame.getByRole('tab', { name: new RegExp(`^${label}`) }).click();
  await frame.locator('[role=tab][aria-selected=true]', { hasText: label }).waitFor();
}

export const figures = { payloads: PAYLOADS.length, placesChecked: 0, messagesRefused: 0 };

describe('Abuse: hostile user text and webview messages (end to end)', function () {
  this.timeout(1_200_000);

  it('shows every payload as text on the run page, the compare page, the explorer and in notifications; nothing runs; every panel has a strict CSP; bad messages are refused', async () => {
    await withVSCode({ name: 'abuse', prepareWorkspace: writeHostileStore, viewport: { width: 1500, height: 950 } }, async (vscode) => {
      // --- the run page of the run that holds every payload in every field ---
      await vscode.runCommandAndPick('Runlog: Open Run', ALL.name);
      const run = vscode.webviewFrame();
      await run.locator('h1.run-name').waitFor({ state: 'visible', timeout: 60_000 });
      await run.locator('body').evaluate(listenForViolations);
      await assertStrictCsp(run, 'run page');
      const seen = new Set<string>();
      for (const tab of ['Overview', 'Charts', 'Logs', 'Files']) {
        await selectTab(run, tab);
        if (tab === 'Charts') await run.locator('#panel-charts canvas[data-drawn="true"]').first().waitFor({ state: 'attached', timeout: 60_000 });
        if (tab === 'Logs') await run.locator('.log-row .lt').nth(PAYLOADS.length - 1).waitFor({ timeout: 60_000 });
        if (tab === 'Files') await run.locator('.files-table tbody tr').nth(PAYLOADS.length).waitFor({ timeout: 60_000 });
        const text = await run.locator('body').evaluate(textOf);
        for (const p of PAYLOADS) if (shownIn(text, p) || text.includes(fileName(p))) seen.add(p);
        await checkClean(run, `run page, ${tab} tab`);
        figures.placesChecked++;
      }
      assert.deepEqual(PAYLOADS.filter((p) => !seen.has(p)), [], 'payloads not shown as text on the run page');
      assert.deepEqual(asShown(await run.locator('.log-row .lt').allInnerTexts()), [...PAYLOADS]);
      await selectTab(run, 'Overview');
      assert.deepEqual(asShown(await run.locator('[data-field=tags] .tag > span').allInnerTexts()), [...PAYLOADS]);
      await vscode.screenshot('abuse-run-page');

      // --- webview messages: unknown, malformed, and paths out of the run folder ---
      const editsFile = join(vscode.workspace, '.runlog', 'projects', PROJECT, 'runs', ALL.id, 'edits.jsonl');
      const refusedBefore = (await notifications(vscode)).filter((n) => n.text.includes('refused')).length;
      const bad: unknown[] = [
        { type: 'runCommand', command: 'workbench.action.terminal.new' },
        { type: 'setNotes', notes: 42 },
        { type: 'setNotes', notes: { toString: 'x' } },
        { type: 'setTags', tags: 'a,b' },
        { type: 'setTags', tags: [1, 2] },
        { type: 'fileAction', action: 'delete', path: 'files/ok.txt' },
        { type: 'fileAction', action: 'open', path: ['files/ok.txt'] },
        { type: 'requestLines', from: -5, count: 1e9 },
        { type: 'zoom', requestId: 1, scope: 'history', keys: ['x'], fromStep: 10, toStep: 1 },
        { type: 'copy', text: 'x'.repeat(2 * 1024 * 1024) },
        'ready',
        null,
      ];
      const runHost = webviewHost(vscode);
      for (const m of bad) await postFromWebview(runHost, m);
      const outsidePaths = [
        '../../../../../../../../etc/passwd',
        '/etc/passwd',
        'files/../../../../../../../../etc/passwd',
        'files\\..\\..\\..\\..\\..\\..\\etc\\passwd',
        'files/link-out.txt',
        'files/linkdir/secret.txt',
        `${vscode.workspace}/../outside/secret.txt`,
      ];
      for (const path of outsidePaths) await postFromWebview(runHost, { type: 'fileAction', action: 'open', path });
      // The channel works: a valid message right after is obeyed.
      await postFromWebview(runHost, { type: 'fileAction', action: 'open', path: 'files/ok.txt' });
      await postFromWebview(runHost, { type: 'setNotes', notes: 'notes from the page' });
      // Each message is handled on its own: wait for the effect of each valid one (the tab, the
      // edit on disk), never for one as a sign that another is done.
      const tabs = await eventually('the ok.txt tab the valid open message asks for', async () => {
        const shown = await editorTabs(vscode);
        return shown.some((t) => t.startsWith('ok.txt')) && shown;
      }).catch(async (error: Error) => {
        throw new Error(`the valid open message did nothing; tabs: ${JSON.stringify(await editorTabs(vscode))} (${error.message})`);
      });
      assert.deepEqual(tabs.filter((t) => /passwd|secret/i.test(t)), [], 'a file outside the run was opened');
      const readEdits = (): { type: string; text?: string; tags?: unknown }[] =>
        existsSync(editsFile) ? readFileSync(editsFile, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { type: string; text?: string; tags?: unknown }) : [];
      const edits = await eventually('the notes edit in edits.jsonl', () => {
        const all = readEdits();
        return all.some((e) => e.type === 'notes' && e.text === 'notes from the page') && all;
      }).catch((error: Error) => {
        throw new Error(`the valid setNotes message was not written; edits.jsonl: ${JSON.stringify(readEdits())} (${error.message})`);
      });
      assert.deepEqual(edits.map((e) => [e.type, e.text ?? e.tags]), [['notes', 'notes from the page']], 'a malformed message changed the run');
      const refusedNow = async (): Promise<Notice[]> => (await notifications(vscode)).filter((n) => n.text.includes('refused'));
      // Every refusal is in once as many as the paths sent are listed; more would show below.
      const refused = await eventually(`${outsidePaths.length} refusal notices`, async () => {
        const shown = await refusedNow();
        return shown.length - refusedBefore >= outsidePaths.length && shown;
      }).catch(async (error: Error) => {
        throw new Error(`refusals: ${JSON.stringify((await refusedNow()).map((n) => n.text))} (${error.message})`);
      });
      assert.equal(refused.length - refusedBefore, outsidePaths.length, `refusals: ${JSON.stringify(refused.map((n) => n.text))}`);
      for (const n of refused) assert.match(n.text, /Runlog refused to open a file of all-payloads: .*(absolute path|leaves the run directory|points outside the run directory|does not exist)/);
      assert.ok(!(await vscode.page.locator('.terminal-outer-container').isVisible().catch(() => false)), 'a terminal was opened');
      figures.messagesRefused += bad.length + outsidePaths.length;
      await vscode.page.keyboard.press('Escape');

      // --- the compare page: 26 runs named by payloads, config keys and metric names too ---
      await vscode.runCommandAndPick('Runlog: Compare Runs', PROJECT);
      const compare = vscode.webviewFrame();
      await compare.locator('.run-link').first().waitFor({ timeout: 60_000 });
      await compare.locator('body').evaluate(listenForViolations);
      await assertStrictCsp(compare, 'compare page');
      // The runs table draws the rows in view: scroll through it, collecting the names shown.
      const links = new Set<string>();
      for (let i = 0, stale = 0; i < 100 && stale < 3; i++) {
        const before = links.size;
        for (const t of await compare.locator('.run-link').allInnerTexts()) links.add(t);
        stale = links.size === before ? stale + 1 : 0;
        await compare.locator('.runs-body').evaluate((body) => {
          let e = body as unknown as { scrollHeight: number; clientHeight: number; scrollTop: number; parentElement: unknown } | null;
          while (e && e.scrollHeight <= e.clientHeight) e = e.parentElement as typeof e;
          if (e) e.scrollTop += 120;
        });
        await vscode.page.waitForTimeout(100);
      }
      assert.deepEqual(PAYLOADS.filter((p) => !links.has(p) && !links.has(revealBidi(p))), [], 'run names not shown as text in the runs table');
      await compare.locator('.chart-title').first().waitFor({ timeout: 60_000 });
      const compareText = await compare.locator('body').evaluate(textOf);
      assert.deepEqual(PAYLOADS.filter((p) => !shownIn(compareText, p)), []);
      await checkClean(compare, 'compare page');
      figures.placesChecked++;
      await vscode.screenshot('abuse-compare-page');
      // A compare page acts only on runs of its own project.
      const before = (await editorTabs(vscode)).length;
      const compareHost = webviewHost(vscode);
      await postFromWebview(compareHost, { type: 'runsAction', action: 'open', runs: [`${OTHER.project}/${OTHER.id}`] });
      await postFromWebview(compareHost, { type: 'runsAction', action: 'delete', runs: [`${OTHER.project}/${OTHER.id}`] });
      await postFromWebview(compareHost, { type: 'runsAction', action: 'explode', runs: [ALL.key] });
      await postFromWebview(compareHost, { type: 'runsAction', action: 'open', runs: [`${PROJECT}/pay00002`] });
      await vscode.page.locator('.tabs-container .tab', { hasText: PAYLOADS[2]!.slice(0, 12) }).first().waitFor({ timeout: 60_000 });
      const after = await editorTabs(vscode);
      assert.equal(after.length, before + 1, `tabs: ${JSON.stringify(after)}`);
      assert.ok(!after.some((t) => t.includes(OTHER.name)), 'the compare page opened a run of another project');
      assert.ok(existsSync(join(vscode.workspace, '.runlog', 'projects', OTHER.project, 'runs', OTHER.id)), 'the compare page deleted a run of another project');
      figures.messagesRefused += 3;

      // --- the explorer: the names are there, as labels ---
      await vscode.openActivityContainer('Runlog');
      await vscode.waitForView('Runs');
      await vscode.waitForTreeRow(ALL.name);
      // Groups (named by odd payloads) come first, then runs: the tree draws the rows in view.
      const rows = (await vscode.treeRows()).join('\n');
      const shown = PAYLOADS.filter((p) => rows.includes(p));
      assert.ok(shown.length >= 8, `the explorer shows ${shown.length} payload names as labels: ${rows}`);
      await vscode.screenshot('abuse-explorer');
      figures.placesChecked++;

      // --- a notification from a run's alert: no link in it can run a command ---
      appendAlert(vscode.workspace, PAYLOADS[0]!, `look [here](command:workbench.action.terminal.new) or [there](https://evil.example) ${PAYLOADS[1]}`);
      const notice = await waitForNotice(vscode, (n) => n.text.includes('look'), 'for the alert');
      assert.deepEqual(notice.links, [], `the alert's text became links: ${JSON.stringify(notice)}`);
      assert.ok(notice.text.includes(PAYLOADS[0]!) && notice.text.includes(PAYLOADS[1]!), notice.text);
      figures.placesChecked++;

      // Nothing ran in the workbench itself either.
      assert.equal(await vscode.page.locator('body').evaluate((b) => (b as unknown as { dataset: Record<string, string> }).dataset.pwned ?? null), null);
      assert.deepEqual(vscode.pageErrors, []);
      console.log(`      ${PAYLOADS.length} payloads in ${figures.placesChecked} places, ${figures.messagesRefused} bad webview messages refused`);
    });
  });
});

describe('Abuse: 10,000 metric names and very long keys on the run page (end to end)', function () {
  this.timeout(1_200_000);
  const LONG_KEY = `${'k'.repeat(5000)}/tail`;

  function writeManyKeys(workspace: string): void {
    const run = new RunBuilder(join(workspace, '.runlog'), 'keys', 'manykeys').init({ name: 'many-keys' });
    for (let step = 0; step < 3; step++) {
      const data: Record<string, number> = { [LONG_KEY]: step, '損失/λ': step / 2, '🚀': step * 2 };
      for (let i = 0; i < 10_000; i++) data[`m/${String(i).padStart(5, '0')}`] = i + step;
      run.history(step, data);
    }
    run.exit(0).write();
  }

  it('lists every chart, draws them as they come into view, and finds and draws a 5,000-character and a unicode key', async () => {
    await withVSCode({ name: 'abuse-keys', prepareWorkspace: writeManyKeys }, async (vscode) => {
      await vscode.runCommandAndPick('Runlog: Open Run', 'many-keys');
      const frame = vscode.webviewFrame();
      await frame.locator('h1.run-name').waitFor({ state: 'visible', timeout: 60_000 });
      await selectTab(frame, 'Charts');
      const status = frame.locator('#panel-charts .toolbar-status');
      // 10,003 keys: the first draw waits on the whole key list, minutes on a loaded machine.
      await frame.locator('#panel-charts canvas[data-drawn="true"]').first().waitFor({ state: 'attached', timeout: 240_000 });
      assert.match(await status.innerText(), /^10,?003 charts$/);
      const search = frame.locator('#panel-charts input.metric-search');
      for (const [query, key] of [['tail', LONG_KEY], ['損失', '損失/λ'], ['🚀', '🚀']] as const) {
        await search.fill(query);
        await frame.locator('#panel-charts .toolbar-status', { hasText: /^1 of / }).waitFor({ timeout: 120_000 });
        const card = frame.locator('#panel-charts .chart-card:visible');
        assert.equal(await card.count(), 1);
        assert.equal(await card.getAttribute('data-metric'), key);
        await card.locator('canvas[data-drawn="true"]').waitFor({ state: 'attached', timeout: 120_000 });
      }
      await vscode.screenshot('abuse-many-keys');
      await checkClean(frame, 'run page with 10,000 metrics');
      assert.deepEqual(vscode.pageErrors, []);
    });
  });
});
