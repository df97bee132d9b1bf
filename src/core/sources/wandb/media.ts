// W&B's media values (history values with a `_type`) as format 1.1 media records (README.md,
// Media records). The value shapes are those W&B's SDK writes (wandb/sdk/data_types: image.py
// `to_json` and `seq_to_json`, table.py, histogram.py, audio.py, video.py, html.py); the files
// they name lie under the run folder's `files/`, and a Runlog run keeps them under `media/`
// (see WandbSource.fileCopies), so a W&B path `media/images/x.png` is the record's path as is.

import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseJson } from '../../format/json';
import type { MediaRecord } from '../../format/records';

type Value = Readonly<Record<string, unknown>>;

export interface MediaResult {
  readonly records: MediaRecord[];
  /** Why the value is not shown, when it is not (a type Runlog has no view for, a path outside media/). */
  readonly problem?: string;
}

/** Largest JSON file read for a record: a table's column names (W&B's value holds only their count), an image's boxes. */
const JSON_MAX_BYTES = 4 * 1024 * 1024;

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isNums = (v: unknown): v is number[] => Array.isArray(v) && v.every((x) => typeof x === 'number');
const isObject = (v: unknown): v is Value => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A W&B media path (relative to the run's `files/`) that stays inside its `media/` folder. */
function mediaPath(path: unknown): string | undefined {
  if (typeof path !== 'string' || !path.startsWith('media/')) return undefined;
  return path.split(/[\\/]/).some((part) => part === '..' || part === '') ? undefined : path;
}

/** Drops absent fields, so a record holds only what W&B wrote. */
function defined(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(fields)) if (v !== undefined) out[k] = v;
  return out;
}

const extension = (path: string): string => /\.([A-Za-z0-9]+)$/.exec(path)?.[1]?.toLowerCase() ?? '';

/**
 * The media records of one W&B history value at `step`. `filesDir` is the W&B run folder's
 * `files/` (a table's column names, and a listed image's size, are read from there).
 */
export function wandbMedia(key: string, step: number, ts: number, value: Value, filesDir: string): MediaResult {
  const type = String(value._type);
  const base = { type: 'media' as const, ts, key, step };
  const fileRecord = (kind: string, v: Value, index: number, extra: Record<string, unknown>): MediaRecord | undefined => {
    const path = mediaPath(v.path);
    if (path === undefined) return undefined;
    return { ...base, kind, path, index, ...defined({ size: num(v.size), sha256: str(v.sha256), caption: str(v.caption), ...extra }) } as MediaRecord;
  };
  const outside = (path: unknown): MediaResult => ({
    records: [],
    problem: `media "${key}" (W&B ${type}) names ${JSON.stringify(path)}, not a file under the run's files/media/: not shown`,
  });

  switch (type) {
    case 'image-file': {
      const r = fileRecord('image', value, 0, {
        format: str(value.format) ?? extension(String(value.path)),
        width: num(value.width),
        height: num(value.height),
        boxes: boxes(value.boxes, filesDir),
        masks: masks(value.masks),
      });
      return r ? { records: [r] } : outside(value.path);
    }
    case 'images/separated': {
      // A list of images under one key: W&B writes their paths in `filenames` (older W&B wrote
      // none, and then the images cannot be found).
      const names = Array.isArray(value.filenames) ? value.filenames : undefined;
      if (!names) return { records: [], problem: `media "${key}" (W&B images/separated) lists no file names (an older W&B): not shown` };
      const captions = Array.isArray(value.captions) ? value.captions : [];
      const records: MediaRecord[] = [];
      for (const [i, name] of names.entries()) {
        const path = mediaPath(name);
        if (path === undefined) return outside(name);
        records.push({
          ...base, kind: 'image', path, index: i,
          ...defined({ size: fileSize(join(filesDir, path)), format: str(value.format) ?? extension(path), width: num(value.width), height: num(value.height), caption: str(captions[i]) }),
        } as MediaRecord);
      }
      return { records };
    }
    case 'table-file': {
      const path = mediaPath(value.path);
      if (path === undefined) return outside(value.path);
      const columns = tableColumns(join(filesDir, path), num(value.size));
      const r = fileRecord('table', value, 0, { rows: num(value.nrows), columns });
      return { records: r ? [r] : [] };
    }
    case 'histogram': {
      const counts = value.values;
      let bins = value.bins;
      // `packedBins` (W&B's TensorBoard import): evenly spaced edges from min, size and count.
      if (!isNums(bins) && isObject(value.packedBins)) {
        const { min, size, count } = value.packedBins;
        if (typeof min === 'number' && typeof size === 'number' && typeof count === 'number') bins = Array.from({ length: count + 1 }, (_, i) => min + i * size);
      }
      if (!isNums(counts) || !isNums(bins) || bins.length !== counts.length + 1) {
        return { records: [], problem: `media "${key}" (W&B histogram) has no bins with one more edge than counts: not shown` };
      }
      return { records: [{ ...base, kind: 'histogram', index: 0, bins, counts } as MediaRecord] };
    }
    case 'audio-file':
    case 'video-file':
    case 'html-file': {
      const kind = type.slice(0, -'-file'.length);
      const r = fileRecord(kind, value, 0, {
        format: str(value.format) ?? extension(String(value.path)),
        ...(kind === 'video' ? { width: num(value.width), height: num(value.height) } : {}),
        ...(kind === 'audio' ? { sample_rate: num(value.sample_rate), duration: num(value.duration) } : {}),
      });
      return r ? { records: [r] } : outside(value.path);
    }
    case 'audio': {
      // A list of audio clips: W&B writes each clip's own value in `audio`, rates and durations beside.
      const clips = Array.isArray(value.audio) ? value.audio : [];
      const rates = Array.isArray(value.sampleRates) ? value.sampleRates : [];
      const durations = Array.isArray(value.durations) ? value.durations : [];
      const captions = Array.isArray(value.captions) ? value.captions : [];
      const records: MediaRecord[] = [];
      for (const [i, clip] of clips.entries()) {
        if (!isObject(clip)) continue;
        const r = fileRecord('audio', { caption: captions[i], ...clip }, i, {
          format: extension(String(clip.path)), sample_rate: num(rates[i]), duration: num(durations[i]),
        });
        if (!r) return outside(clip.path);
        records.push(r);
      }
      return { records };
    }
    default:
      return { records: [], problem: `media "${key}" of W&B type ${type} is not shown (Runlog has no view for it)` };
  }
}

/**
 * An image's box sets: W&B writes each set's `{"box_data", "class_labels"}` to a file under
 * media/metadata/boxes2D/ and names it in the value (json_metadata.py, bounding_boxes_2d.py);
 * the record holds the sets themselves, as README's image record does.
 */
function boxes(field: unknown, filesDir: string): Record<string, unknown> | undefined {
  if (!isObject(field)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, set] of Object.entries(field)) {
    if (!isObject(set)) continue;
    if (Array.isArray(set.box_data)) out[name] = set;
    else {
      const path = mediaPath(set.path);
      const data = path === undefined ? undefined : readSmallJson(join(filesDir, path));
      if (isObject(data) && Array.isArray(data.box_data)) out[name] = { box_data: data.box_data, ...(isObject(data.class_labels) ? { class_labels: data.class_labels } : {}) };
    }
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * An image's masks: W&B writes each as a PNG of class ids under media/images/mask/ and names it
 * in the value (image_mask.py); its class names go elsewhere (a run singleton), so classes show
 * as class_N.
 */
function masks(field: unknown): Record<string, unknown> | undefined {
  if (!isObject(field)) return undefined;
  const out: Record<string, unknown> = {};
  for (const [name, mask] of Object.entries(field)) {
    const path = isObject(mask) ? mediaPath(mask.path) : undefined;
    if (!isObject(mask) || path === undefined) continue;
    out[name] = { path, ...defined({ size: num(mask.size), sha256: str(mask.sha256), class_labels: isObject(mask.class_labels) ? mask.class_labels : undefined }) };
  }
  return Object.keys(out).length > 0 ? out : undefined;
}

function fileSize(file: string): number | undefined {
  try {
    return statSync(file).size;
  } catch {
    return undefined;
  }
}

/** A JSON file W&B wrote beside a media value, when it is there and small; else undefined. */
function readSmallJson(file: string): unknown {
  try {
    if (statSync(file).size > JSON_MAX_BYTES) return undefined;
    return parseJson(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** A W&B table file's column names (W&B's values hold only their count), when it is there and small. */
function tableColumns(file: string, size: number | undefined): string[] | undefined {
  if (size !== undefined && size > JSON_MAX_BYTES) return undefined;
  const parsed = readSmallJson(file);
  const columns = isObject(parsed) ? parsed.columns : undefined;
  return Array.isArray(columns) && columns.every((c) => typeof c === 'string') ? columns : undefined;
}
