// Decodes a W&B `Record` (wandb_internal.proto, public in the wandb repository) into the few
// shapes Runlog uses. Field numbers are W&B's; unknown record types come back as `unknown`.

import { forEachField, int32, timestamp, utf8, zigzag } from './wire';

/** One `HistoryItem` / `SummaryItem` / `ConfigItem` / `StatsItem`: a key path and its value. */
export interface WandbItem {
  readonly path: readonly string[];
  /** The value: parsed later (value_json), or already typed (HistoryItem's typed oneof). */
  readonly json: string | undefined;
  readonly typed?: { readonly value: unknown };
}

export interface WandbRunInfo {
  readonly runId: string;
  readonly entity: string;
  readonly project: string;
  readonly config: readonly WandbItem[];
  readonly group: string;
  readonly jobType: string;
  readonly displayName: string;
  readonly notes: string;
  readonly tags: readonly string[];
  readonly host: string;
  readonly startTime: number | undefined;
  readonly resumed: boolean;
  readonly startingStep: number;
  readonly sweepId: string;
  readonly git: { readonly remote: string; readonly commit: string } | undefined;
  /** From the telemetry the run record carries (cli_version). */
  readonly sdkVersion: string;
}

export interface WandbEnvironment {
  readonly os: string;
  readonly python: string;
  readonly startedAt: number | undefined;
  readonly args: readonly string[];
  readonly program: string;
  readonly codePath: string;
  readonly root: string;
  readonly host: string;
  readonly username: string;
  readonly executable: string;
  readonly cpuCount: number;
  readonly cpuCountLogical: number;
  readonly gpuType: string;
  readonly gpuCount: number;
  readonly git: { readonly remote: string; readonly commit: string } | undefined;
}

export interface WandbMetric {
  readonly name: string;
  readonly globName: string;
  readonly stepMetric: string;
  readonly summary: readonly string[];
  readonly goal: 'minimize' | 'maximize' | undefined;
  readonly hidden: boolean;
}

export type WandbRecord =
  | { readonly kind: 'history'; readonly step: number | undefined; readonly items: readonly WandbItem[] }
  | { readonly kind: 'summary'; readonly update: readonly WandbItem[]; readonly remove: readonly WandbItem[] }
  | { readonly kind: 'config'; readonly update: readonly WandbItem[]; readonly remove: readonly WandbItem[] }
  | { readonly kind: 'output'; readonly stream: 'stdout' | 'stderr'; readonly ts: number | undefined; readonly line: string }
  | { readonly kind: 'files'; readonly files: readonly { readonly path: string; readonly policy: number }[] }
  | { readonly kind: 'stats'; readonly ts: number | undefined; readonly items: readonly WandbItem[] }
  | { readonly kind: 'run'; readonly run: WandbRunInfo }
  | { readonly kind: 'exit'; readonly exitCode: number; readonly runtime: number }
  | { readonly kind: 'metric'; readonly metric: WandbMetric }
  | { readonly kind: 'alert'; readonly title: string; readonly text: string; readonly level: string }
  | { readonly kind: 'artifact'; readonly name: string; readonly type: string; readonly digest: string; readonly aliases: readonly string[] }
  | { readonly kind: 'environment'; readonly env: WandbEnvironment }
  | { readonly kind: 'telemetry'; readonly pythonVersion: string; readonly sdkVersion: string; readonly platform: string }
  | { readonly kind: 'header'; readonly producer: string }
  | { readonly kind: 'other'; readonly field: number }
  | { readonly kind: 'unknown'; readonly field: number | undefined };

/** Record fields (`oneof record_type`) Runlog knows but has no use for. */
const KNOWN_UNUSED = new Set([9 /* tbrecord */, 20 /* final */, 22 /* footer */, 23 /* preempting */, 24 /* link_artifact */, 25 /* use_artifact */, 27 /* output_logger */, 100 /* request */]);

/** Decodes one record payload; throws WireError when the bytes are not a protobuf message. */
export function decodeRecord(buf: Uint8Array): WandbRecord {
  let result: WandbRecord | undefined;
  let typeField: number | undefined;
  forEachField(buf, (no, wt, _num, bytes) => {
    if (no === 1 || no === 16 || no === 19 || no === 200 || wt !== 2 || bytes === undefined) return; // num, control, uuid, _info
    typeField = no;
    switch (no) {
      case 2: result = history(bytes); break;
      case 3: result = { kind: 'summary', ...updates(bytes) }; break;
      case 4: // output (older W&B)
      case 13: result = output(bytes); break; // output_raw
      case 5: result = { kind: 'config', ...updates(bytes) }; break;
      case 6: result = files(bytes); break;
      case 7: result = stats(bytes); break;
      case 8: result = artifact(bytes); break;
      case 10: result = alert(bytes); break;
      case 11: result = telemetry(bytes); break;
      case 12: result = { kind: 'metric', metric: metric(bytes) }; break;
      case 17: result = { kind: 'run', run: run(bytes) }; break;
      case 18: result = exit(bytes); break;
      case 21: result = header(bytes); break;
      case 26: result = { kind: 'environment', env: environment(bytes) }; break;
      default: result = KNOWN_UNUSED.has(no) ? { kind: 'other', field: no } : { kind: 'unknown', field: no };
    }
  });
  return result ?? { kind: 'unknown', field: typeField };
}

function item(bytes: Uint8Array, valueField = 16): WandbItem {
  let key = '';
  const nested: string[] = [];
  let json: string | undefined;
  let typed: { value: unknown } | undefined;
  forEachField(bytes, (no, wt, num, b) => {
    if (no === 1) key = utf8(b);
    else if (no === 2) nested.push(utf8(b));
    else if (no === valueField) json = utf8(b);
    // HistoryItem's typed value (newer W&B): none 3, boolean 4, integer 5 (sint64), number 6, text 7, json 8.
    else if (valueField === 16 && no === 3) typed = { value: null };
    else if (valueField === 16 && no === 4 && wt === 0) typed = { value: num !== 0 };
    else if (valueField === 16 && no === 5 && wt === 0) typed = { value: zigzag(num) };
    else if (valueField === 16 && no === 6 && wt === 1) typed = { value: num };
    else if (valueField === 16 && no === 7) typed = { value: utf8(b) };
    else if (valueField === 16 && no === 8) json = utf8(b);
  });
  const path = nested.length > 0 ? nested : [key];
  return typed === undefined ? { path, json } : { path, json, typed };
}

function history(bytes: Uint8Array): WandbRecord {
  const items: WandbItem[] = [];
  let step: number | undefined;
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 1 && b) items.push(item(b));
    else if (no === 2 && b) {
      step = 0;
      forEachField(b, (n, _w, v) => { if (n === 1) step = v; });
    }
  });
  return { kind: 'history', step, items };
}

function updates(bytes: Uint8Array): { update: WandbItem[]; remove: WandbItem[] } {
  const update: WandbItem[] = [];
  const remove: WandbItem[] = [];
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 1 && b) update.push(item(b));
    else if (no === 2 && b) remove.push(item(b));
  });
  return { update, remove };
}

function output(bytes: Uint8Array): WandbRecord {
  let stream: 'stdout' | 'stderr' = 'stderr'; // OutputType: STDERR = 0, STDOUT = 1
  let ts: number | undefined;
  let line = '';
  forEachField(bytes, (no, _wt, num, b) => {
    if (no === 1) stream = num === 1 ? 'stdout' : 'stderr';
    else if (no === 2) ts = timestamp(b);
    else if (no === 3) line = utf8(b);
  });
  return { kind: 'output', stream, ts, line };
}

function files(bytes: Uint8Array): WandbRecord {
  const list: { path: string; policy: number }[] = [];
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no !== 1 || !b) return;
    let path = '';
    let policy = 0;
    forEachField(b, (n, _w, v, bb) => {
      if (n === 1) path = utf8(bb);
      else if (n === 2) policy = v;
    });
    list.push({ path, policy });
  });
  return { kind: 'files', files: list };
}

function stats(bytes: Uint8Array): WandbRecord {
  let ts: number | undefined;
  const items: WandbItem[] = [];
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 2) ts = timestamp(b);
    else if (no === 3 && b) items.push(item(b));
  });
  return { kind: 'stats', ts, items };
}

function artifact(bytes: Uint8Array): WandbRecord {
  let type = '';
  let name = '';
  let digest = '';
  const aliases: string[] = [];
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 4) type = utf8(b);
    else if (no === 5) name = utf8(b);
    else if (no === 6) digest = utf8(b);
    else if (no === 11) aliases.push(utf8(b));
  });
  return { kind: 'artifact', name, type, digest, aliases };
}

function alert(bytes: Uint8Array): WandbRecord {
  let title = '';
  let text = '';
  let level = '';
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 1) title = utf8(b);
    else if (no === 2) text = utf8(b);
    else if (no === 3) level = utf8(b);
  });
  return { kind: 'alert', title, text, level };
}

function telemetry(bytes: Uint8Array): WandbRecord {
  let pythonVersion = '';
  let sdkVersion = '';
  let platform = '';
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 4) pythonVersion = utf8(b);
    else if (no === 5) sdkVersion = utf8(b);
    else if (no === 13) platform = utf8(b);
  });
  return { kind: 'telemetry', pythonVersion, sdkVersion, platform };
}

function metric(bytes: Uint8Array): WandbMetric {
  let name = '';
  let globName = '';
  let stepMetric = '';
  const summary: string[] = [];
  let goal: WandbMetric['goal'];
  let hidden = false;
  const summaryNames = ['', 'min', 'max', 'mean', 'best', 'last', 'none', 'copy', 'first'];
  forEachField(bytes, (no, _wt, num, b) => {
    if (no === 1) name = utf8(b);
    else if (no === 2) globName = utf8(b);
    else if (no === 4) stepMetric = utf8(b);
    else if (no === 6 && b) forEachField(b, (n, _w, v) => { if (n === 2 && v) hidden = true; });
    else if (no === 7 && b) forEachField(b, (n, _w, v) => { if (v && summaryNames[n]) summary.push(summaryNames[n]); });
    else if (no === 8) goal = num === 1 ? 'minimize' : num === 2 ? 'maximize' : undefined;
  });
  return { name, globName, stepMetric, summary, goal, hidden };
}

function git(bytes: Uint8Array | undefined): { remote: string; commit: string } | undefined {
  if (!bytes) return undefined;
  let remote = '';
  let commit = '';
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 1) remote = utf8(b);
    else if (no === 2) commit = utf8(b);
  });
  return { remote, commit };
}

function run(bytes: Uint8Array): WandbRunInfo {
  const r = {
    runId: '', entity: '', project: '', config: [] as WandbItem[], group: '', jobType: '', displayName: '', notes: '',
    tags: [] as string[], host: '', startTime: undefined as number | undefined, resumed: false, startingStep: 0, sweepId: '',
    git: undefined as WandbRunInfo['git'], sdkVersion: '',
  };
  forEachField(bytes, (no, _wt, num, b) => {
    switch (no) {
      case 1: r.runId = utf8(b); break;
      case 2: r.entity = utf8(b); break;
      case 3: r.project = utf8(b); break;
      case 4: if (b) r.config.push(...updates(b).update); break;
      case 6: r.group = utf8(b); break;
      case 7: r.jobType = utf8(b); break;
      case 8: r.displayName = utf8(b); break;
      case 9: r.notes = utf8(b); break;
      case 10: r.tags.push(utf8(b)); break;
      case 12: r.sweepId = utf8(b); break;
      case 13: r.host = utf8(b); break;
      case 14: r.startingStep = num; break;
      case 17: r.startTime = timestamp(b); break;
      case 18: r.resumed = num !== 0; break;
      case 19: if (b) { const t = telemetry(b); if (t.kind === 'telemetry') r.sdkVersion = t.sdkVersion; } break;
      case 21: r.git = git(b); break;
    }
  });
  return r;
}

function exit(bytes: Uint8Array): WandbRecord {
  let exitCode = 0;
  let runtime = 0;
  forEachField(bytes, (no, _wt, num) => {
    if (no === 1) exitCode = int32(num);
    else if (no === 2) runtime = int32(num);
  });
  return { kind: 'exit', exitCode, runtime };
}

function header(bytes: Uint8Array): WandbRecord {
  let producer = '';
  forEachField(bytes, (no, _wt, _num, b) => {
    if (no === 1 && b) forEachField(b, (n, _w, _v, bb) => { if (n === 1) producer = utf8(bb); });
  });
  return { kind: 'header', producer };
}

function environment(bytes: Uint8Array): WandbEnvironment {
  const e = {
    os: '', python: '', startedAt: undefined as number | undefined, args: [] as string[], program: '', codePath: '', root: '',
    host: '', username: '', executable: '', cpuCount: 0, cpuCountLogical: 0, gpuType: '', gpuCount: 0, git: undefined as WandbEnvironment['git'],
  };
  forEachField(bytes, (no, _wt, num, b) => {
    switch (no) {
      case 1: e.os = utf8(b); break;
      case 2: e.python = utf8(b); break;
      case 3: e.startedAt = timestamp(b); break;
      case 5: e.args.push(utf8(b)); break;
      case 6: e.program = utf8(b); break;
      case 7: e.codePath = utf8(b); break;
      case 9: e.git = git(b); break;
      case 11: e.root = utf8(b); break;
      case 12: e.host = utf8(b); break;
      case 13: e.username = utf8(b); break;
      case 14: e.executable = utf8(b); break;
      case 16: e.cpuCount = num; break;
      case 17: e.cpuCountLogical = num; break;
      case 18: e.gpuType = utf8(b); break;
      case 19: e.gpuCount = num; break;
    }
  });
  return e;
}
