/**
 * The protocol-buffers writer: just the wire types ONNX needs (varint, 32-bit, length-delimited),
 * plus re-emitting a field read by decodeFields as it was. Messages are kept as lists of byte
 * chunks so that large tensors (hundreds of MB for the `full` preset, or a real model's weights
 * kept by reference) are never copied into one contiguous buffer before they reach the file.
 */
import { WIRE_FIXED32, WIRE_LEN, WIRE_VARINT, type Field } from './wire.js';

/** Chunks below this size are copied into the pending scratch buffer; larger ones are referenced. */
const INLINE_LIMIT = 4096;

export class ProtoWriter {
  private readonly chunks: Uint8Array[] = [];
  private scratch: number[] = [];
  private total = 0;

  /** Encoded size in bytes. */
  get length(): number {
    return this.total;
  }

  private byte(b: number): void {
    this.scratch.push(b);
    this.total += 1;
  }

  private flush(): void {
    if (this.scratch.length > 0) {
      this.chunks.push(Uint8Array.from(this.scratch));
      this.scratch = [];
    }
  }

  /** A field exactly as it was read (tag, length and payload), large payloads by reference. */
  field(f: Field): this {
    this.raw(f.raw);
    return this;
  }

  private raw(data: Uint8Array): void {
    if (data.length <= INLINE_LIMIT) {
      for (const b of data) this.scratch.push(b);
    } else {
      this.flush();
      this.chunks.push(data);
    }
    this.total += data.length;
  }

  /** Unsigned varint. Negative values are written as 64-bit two's complement (proto int64 semantics). */
  private varint(value: number | bigint): void {
    let v = typeof value === 'bigint' ? value : BigInt(value);
    if (v < 0n) v = BigInt.asUintN(64, v);
    if (v < 0x80n) {
      this.byte(Number(v));
      return;
    }
    while (v >= 0x80n) {
      this.byte(Number(v & 0x7fn) | 0x80);
      v >>= 7n;
    }
    this.byte(Number(v));
  }

  private tag(field: number, wire: number): void {
    this.varint((field << 3) | wire);
  }

  /** int32 / int64 / enum / bool field. */
  int(field: number, value: number | bigint): this {
    this.tag(field, WIRE_VARINT);
    this.varint(value);
    return this;
  }

  float(field: number, value: number): this {
    this.tag(field, WIRE_FIXED32);
    const b = new Uint8Array(4);
    new DataView(b.buffer).setFloat32(0, value, true);
    this.raw(b);
    return this;
  }

  bytes(field: number, data: Uint8Array): this {
    this.tag(field, WIRE_LEN);
    this.varint(data.length);
    this.raw(data);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Packed repeated int64 (proto3 style; proto2 parsers accept packed for repeated scalars too). */
  packedInts(field: number, values: readonly (number | bigint)[]): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.varint(v);
    return this.message(field, inner);
  }

  /** Packed repeated float. */
  packedFloats(field: number, values: readonly number[]): this {
    const b = new Uint8Array(values.length * 4);
    const dv = new DataView(b.buffer);
    values.forEach((v, i) => dv.setFloat32(i * 4, v, true));
    return this.bytes(field, b);
  }

  /** Embedded message; `msg` must not be written to afterwards. */
  message(field: number, msg: ProtoWriter): this {
    this.tag(field, WIRE_LEN);
    this.varint(msg.total);
    this.flush();
    msg.flush();
    for (const c of msg.chunks) this.chunks.push(c);
    this.total += msg.total;
    return this;
  }

  /** The encoded bytes as chunks, in order. */
  finish(): Uint8Array[] {
    this.flush();
    return this.chunks.slice();
  }

  /** Already-encoded message bytes, wrapped so that they can be nested or written out. */
  static from(bytes: Uint8Array): ProtoWriter {
    const w = new ProtoWriter();
    w.raw(bytes);
    return w;
  }

  /** The encoded bytes as one buffer (for small messages and tests). */
  toBytes(): Uint8Array {
    const out = new Uint8Array(this.total);
    let off = 0;
    for (const c of this.finish()) {
      out.set(c, off);
      off += c.length;
    }
    return out;
  }
}
