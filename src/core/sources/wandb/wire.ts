// The protobuf wire format, read by hand: varints and length-delimited fields are all a W&B
// record needs (https://protobuf.dev/programming-guides/encoding/). A library (protobufjs) would
// need a schema of ~20 messages we do not own, decode every field we ignore into objects, and
// still leave per-record error handling to us; this reader walks only the fields asked for.

export class WireError extends Error {}

/** One field of a message: its number, wire type and value (varint as number, bytes as a view). */
export interface WireField {
  readonly no: number;
  readonly wt: number;
  /** For wire type 0, 1 and 5 (fixed64/32 read as float64/float32). */
  readonly num: number;
  /** For wire type 2: a view of the field's bytes. */
  readonly bytes: Uint8Array | undefined;
}

const decoder = new TextDecoder('utf-8');

export function utf8(bytes: Uint8Array | undefined): string {
  if (bytes === undefined) return '';
  // Keys and numbers are short ASCII: building them directly is several times faster than TextDecoder.
  if (bytes.length <= 32) {
    let out = '';
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i]!;
      if (b >= 0x80) return decoder.decode(bytes);
      out += String.fromCharCode(b);
    }
    return out;
  }
  return decoder.decode(bytes);
}

/** Calls `visit` for each field of `buf`; throws WireError on malformed bytes. */
export function forEachField(buf: Uint8Array, visit: (no: number, wt: number, num: number, bytes: Uint8Array | undefined) => void): void {
  let i = 0;
  const end = buf.length;
  while (i < end) {
    // Tag varint (field numbers in W&B records stay far below 2^28).
    let tag = 0;
    let shift = 0;
    for (;;) {
      if (i >= end) throw new WireError('truncated field tag');
      const b = buf[i++]!;
      tag += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) break;
      shift += 7;
      if (shift > 35) throw new WireError('field tag too long');
    }
    const no = Math.floor(tag / 8);
    const wt = tag & 7;
    if (no === 0) throw new WireError('field number 0');
    if (wt === 0) {
      let value = 0;
      let s = 0;
      for (;;) {
        if (i >= end) throw new WireError('truncated varint');
        const b = buf[i++]!;
        // Past 2^53 precision is lost; negative int32/int64 come out as large numbers (see int32()).
        if (s < 64) value += (b & 0x7f) * 2 ** s;
        if (b < 0x80) break;
        s += 7;
        if (s > 63) throw new WireError('varint too long');
      }
      visit(no, wt, value, undefined);
    } else if (wt === 2) {
      let len = 0;
      let s = 0;
      for (;;) {
        if (i >= end) throw new WireError('truncated length');
        const b = buf[i++]!;
        len += (b & 0x7f) * 2 ** s;
        if (b < 0x80) break;
        s += 7;
        if (s > 35) throw new WireError('length too long');
      }
      if (i + len > end) throw new WireError(`field ${no} runs past its message (${len} bytes, ${end - i} left)`);
      visit(no, wt, 0, buf.subarray(i, i + len));
      i += len;
    } else if (wt === 1) {
      if (i + 8 > end) throw new WireError('truncated fixed64');
      visit(no, wt, new DataView(buf.buffer, buf.byteOffset + i, 8).getFloat64(0, true), undefined);
      i += 8;
    } else if (wt === 5) {
      if (i + 4 > end) throw new WireError('truncated fixed32');
      visit(no, wt, new DataView(buf.buffer, buf.byteOffset + i, 4).getFloat32(0, true), undefined);
      i += 4;
    } else {
      throw new WireError(`unsupported wire type ${wt} (field ${no})`);
    }
  }
}

/** A varint read as int32 (negative numbers are sign-extended to 64 bits on the wire). */
export function int32(varint: number): number {
  return varint >= 2 ** 63 ? varint - 2 ** 64 : varint > 0x7fffffff && varint < 2 ** 32 ? varint - 2 ** 32 : varint;
}

/** A zigzag-encoded sint64. */
export function zigzag(varint: number): number {
  return varint % 2 === 0 ? varint / 2 : -(varint + 1) / 2;
}

/** google.protobuf.Timestamp → seconds since the epoch. */
export function timestamp(bytes: Uint8Array | undefined): number | undefined {
  if (bytes === undefined) return undefined;
  let seconds = 0;
  let nanos = 0;
  forEachField(bytes, (no, _wt, num) => {
    if (no === 1) seconds = num;
    else if (no === 2) nanos = num;
  });
  return seconds + nanos / 1e9;
}

/** A protobuf encoder, small, for tests and benchmarks that write W&B files. */
export class WireWriter {
  private readonly parts: number[] = [];

  private varint(value: number): void {
    let v = value;
    while (v >= 0x80) {
      this.parts.push((v % 128) | 0x80);
      v = Math.floor(v / 128);
    }
    this.parts.push(v);
  }

  uint(no: number, value: number): this {
    this.varint(no * 8);
    this.varint(value);
    return this;
  }

  double(no: number, value: number): this {
    this.varint(no * 8 + 1);
    for (const b of new Uint8Array(new Float64Array([value]).buffer)) this.parts.push(b);
    return this;
  }

  bytes(no: number, value: Uint8Array): this {
    this.varint(no * 8 + 2);
    this.varint(value.length);
    for (const b of value) this.parts.push(b);
    return this;
  }

  string(no: number, value: string): this {
    return this.bytes(no, new TextEncoder().encode(value));
  }

  message(no: number, build: (w: WireWriter) => void): this {
    const inner = new WireWriter();
    build(inner);
    return this.bytes(no, inner.finish());
  }

  finish(): Uint8Array {
    return Uint8Array.from(this.parts);
  }
}
