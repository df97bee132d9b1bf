// The framing of a W&B `.wandb` file: a 7-byte header (`:W&B`, magic 0xBEE1 little endian,
// version 0), then the LevelDB log format (32 KiB blocks of chunks, each with a 7-byte header:
// crc32, length (uint16 LE), type 1 full / 2 first / 3 middle / 4 last; a block tail shorter than
// a chunk header is zero padding). Block positions count from the start of the file, header
// included. See https://github.com/google/leveldb/blob/main/doc/log_format.md and W&B's
// `wandb/sdk/internal/datastore.py` (public).

import * as zlib from 'node:zlib';

export const WANDB_HEADER = Uint8Array.from([0x3a, 0x57, 0x26, 0x42, 0xe1, 0xbe, 0x00]);
export const HEADER_LENGTH = WANDB_HEADER.length;
export const BLOCK_SIZE = 32 * 1024;
export const CHUNK_HEADER = 7;

export const enum ChunkType { Full = 1, First = 2, Middle = 3, Last = 4 }

const crc32: (data: Uint8Array, value?: number) => number = (zlib as unknown as { crc32?: typeof crc32 }).crc32 ?? tableCrc32;

/** IEEE crc32 over the chunk type byte then the payload (W&B does not mask it as LevelDB does). */
export function chunkCrc(type: number, payload: Uint8Array): number {
  return crc32(payload, crc32(Uint8Array.of(type))) >>> 0;
}

/** Checks the file header; returns what is wrong with it, or undefined. */
export function checkHeader(bytes: Uint8Array): string | undefined {
  if (bytes.length < HEADER_LENGTH) return `the file is ${bytes.length} bytes long, shorter than W&B's 7-byte header`;
  if (bytes[0] !== 0x3a || bytes[1] !== 0x57 || bytes[2] !== 0x26 || bytes[3] !== 0x42) return 'not a W&B record file (no ":W&B" header)';
  if (bytes[4] !== 0xe1 || bytes[5] !== 0xbe) return 'not a W&B record file (wrong magic number after ":W&B")';
  if (bytes[6] !== 0) return `W&B record file version ${bytes[6]} is not known (version 0 is)`;
  return undefined;
}

export interface FrameResult {
  /** The payloads of the records completed in this read, in order. */
  readonly records: Uint8Array[];
  /** Where the next read starts: after the last complete record or skipped corrupt chunk. */
  readonly next: number;
  /** Chunks skipped as corrupt (bad checksum, bad type or length, orphaned parts). */
  readonly corrupt: number;
  /** What each corruption was (at most a few kept). */
  readonly problems: string[];
  /** Bytes after `next` that hold an unfinished record (a live writer's tail, or a cut-off file). */
  readonly pending: number;
}

const MAX_PROBLEMS = 20;

/**
 * Splits `buf` (the file's bytes from absolute offset `start`, which must be a record boundary
 * at or after the header) into record payloads. Never throws: corrupt chunks are skipped and
 * counted, and reading goes on.
 */
export function readFrames(buf: Uint8Array, start: number): FrameResult {
  const records: Uint8Array[] = [];
  const problems: string[] = [];
  let corrupt = 0;
  const end = start + buf.length;
  let pos = start;
  let next = start;
  let parts: Uint8Array[] | undefined;
  const fail = (what: string): void => {
    corrupt++;
    if (problems.length < MAX_PROBLEMS) problems.push(`corrupt chunk at byte ${pos}: ${what}`);
  };
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  while (pos < end) {
    const left = BLOCK_SIZE - (pos % BLOCK_SIZE);
    if (left < CHUNK_HEADER) {
      if (pos + left > end) break; // padding not yet written
      pos += left;
      if (parts === undefined) next = pos;
      continue;
    }
    if (pos + CHUNK_HEADER > end) break;
    const at = pos - start;
    const crc = view.getUint32(at, true);
    const length = view.getUint16(at + 4, true);
    const type = buf[at + 6]!;
    if (type < ChunkType.Full || type > ChunkType.Last || CHUNK_HEADER + length > left) {
      const blank = type === 0 && length === 0 && crc === 0;
      fail(blank ? 'zeros where a chunk header belongs' : `type ${type} and length ${length} do not fit the block`);
      // The length cannot be trusted: drop the rest of the block, as LevelDB's reader does.
      parts = undefined;
      pos += left;
      next = pos;
      continue;
    }
    if (pos + CHUNK_HEADER + length > end) break; // the writer has not finished this chunk
    const payload = buf.subarray(at + CHUNK_HEADER, at + CHUNK_HEADER + length);
    if (chunkCrc(type, payload) !== crc) {
      fail('checksum mismatch');
      parts = undefined;
      pos += CHUNK_HEADER + length;
      next = pos;
      continue;
    }
    pos += CHUNK_HEADER + length;
    switch (type) {
      case ChunkType.Full:
        if (parts !== undefined) fail('a record started in an earlier chunk never ended');
        parts = undefined;
        records.push(payload);
        break;
      case ChunkType.First:
        if (parts !== undefined) fail('a record started in an earlier chunk never ended');
        parts = [payload];
        break;
      case ChunkType.Middle:
        if (parts === undefined) fail('a middle chunk with no first chunk');
        else parts.push(payload);
        break;
      case ChunkType.Last:
        if (parts === undefined) fail('a last chunk with no first chunk');
        else {
          parts.push(payload);
          records.push(concat(parts));
          parts = undefined;
        }
        break;
    }
    if (parts === undefined) next = pos;
  }
  return { records, next, corrupt, problems, pending: end - next > 0 ? Math.max(0, end - next) : 0 };
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/**
 * Frames records the way W&B writes them (header, blocks, chunks, padding). For tests and
 * benchmarks; `offset` is where the next record starts (the file's current length).
 */
export class LogWriter {
  private offset = 0;
  private readonly out: Uint8Array[] = [];

  constructor(withHeader = true) {
    if (withHeader) {
      this.out.push(WANDB_HEADER);
      this.offset = HEADER_LENGTH;
    }
  }

  /** Adds one record; returns the bytes appended to the file for it. */
  add(record: Uint8Array): Uint8Array {
    const pieces: Uint8Array[] = [];
    let data = record;
    let first = true;
    for (;;) {
      let left = BLOCK_SIZE - (this.offset % BLOCK_SIZE);
      if (left < CHUNK_HEADER) {
        pieces.push(new Uint8Array(left));
        this.offset += left;
        left = BLOCK_SIZE;
      }
      const room = left - CHUNK_HEADER;
      const take = Math.min(room, data.length);
      const last = take === data.length;
      const type = first && last ? ChunkType.Full : first ? ChunkType.First : last ? ChunkType.Last : ChunkType.Middle;
      const payload = data.subarray(0, take);
      const head = new Uint8Array(CHUNK_HEADER);
      const dv = new DataView(head.buffer);
      dv.setUint32(0, chunkCrc(type, payload), true);
      dv.setUint16(4, take, true);
      head[6] = type;
      pieces.push(head, payload);
      this.offset += CHUNK_HEADER + take;
      data = data.subarray(take);
      first = false;
      if (last) break;
    }
    const bytes = concat(pieces);
    this.out.push(bytes);
    return bytes;
  }

  bytes(): Uint8Array {
    return concat(this.out);
  }
}

let table: Uint32Array | undefined;
function tableCrc32(data: Uint8Array, value = 0): number {
  if (table === undefined) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = (value ^ 0xffffffff) >>> 0;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
