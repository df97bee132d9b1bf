// Row shapes of the index tables, as better-sqlite3 returns them.

export interface RunRow {
  rid: number;
  project: string;
  id: string;
  dir: string;
  name: string;
  name_ts: number;
  notes: string;
  notes_ts: number;
  /** JSON list of strings. */
  tags: string;
  tags_ts: number;
  entity: string | null;
  run_group: string | null;
  job_type: string | null;
  /** The sweep that started the run (`init.sweep.id`). */
  sweep: string | null;
  state: string;
  start_time: number | null;
  end_time: number | null;
  last_seen: number | null;
  last_step: number | null;
  exit_code: number | null;
  pid: number | null;
  host: string | null;
  /** Epoch seconds the run's process started (`init.pid_start`). */
  pid_start: number | null;
  /** The SDK's heartbeat interval in seconds (`init.heartbeat_interval`). */
  heartbeat_sec: number | null;
  /** This host's clock when the ingest last read a record the run's process wrote. */
  heard_at: number | null;
  program: string | null;
  /** JSON list of strings. */
  command: string | null;
  cwd: string | null;
  /** JSON object. */
  meta: string;
  /** JSON `{run, step}`. */
  fork_of: string | null;
  /** JSON list of `{start, end}`. */
  segments: string;
  /** JSON object. */
  config_tree: string;
  last_init_ts: number | null;
  exit_ts: number | null;
  exit_state: string | null;
  edit_state: string | null;
  edit_state_ts: number | null;
  edit_code: number | null;
  output_lines: number;
  output_open: number;
  output_stream: string | null;
  system_samples: number;
}

export const RUN_COLUMNS: readonly (keyof RunRow)[] = [
  'rid', 'project', 'id', 'dir', 'name', 'name_ts', 'notes', 'notes_ts', 'tags', 'tags_ts', 'entity', 'run_group', 'job_type', 'sweep',
  'state', 'start_time', 'end_time', 'last_seen', 'last_step', 'exit_code', 'pid', 'host', 'program', 'command', 'cwd', 'meta',
  'fork_of', 'segments', 'config_tree', 'last_init_ts', 'exit_ts', 'exit_state', 'edit_state', 'edit_state_ts', 'edit_code',
  'output_lines', 'output_open', 'output_stream', 'system_samples', 'pid_start', 'heartbeat_sec', 'heard_at',
];

export function blankRunRow(rid: number, project: string, id: string, dir: string): RunRow {
  return {
    rid, project, id, dir,
    name: id, name_ts: -1, notes: '', notes_ts: -1, tags: '[]', tags_ts: -1,
    entity: null, run_group: null, job_type: null, sweep: null,
    state: 'running', start_time: null, end_time: null, last_seen: null, last_step: null, exit_code: null,
    pid: null, host: null, program: null, command: null, cwd: null, meta: '{}', fork_of: null, segments: '[]', config_tree: '{}',
    last_init_ts: null, exit_ts: null, exit_state: null, edit_state: null, edit_state_ts: null, edit_code: null,
    output_lines: 0, output_open: 0, output_stream: null, system_samples: 0,
    pid_start: null, heartbeat_sec: null, heard_at: null,
  };
}

export interface MetricKeyRow {
  kid: number;
  run: number;
  key: string;
  count: number;
  first_step: number | null;
  last_step: number | null;
  min: number | null;
  max: number | null;
  last: string | null;
}

export interface IngestFileRow {
  run: number;
  file: string;
  offset: number;
  line: number;
  size: number;
  mtime: number;
  ino: number;
  refused: string | null;
}

export interface Segment {
  start: number;
  end: number | null;
  /** Newest `events.jsonl` timestamp of the segment: its end if the process died without an exit. */
  seen?: number;
}
