/**
 * Protocol-buffers wire types and a schema-less reader. A message is read as its list of fields,
 * each keeping a view of its own encoded bytes, so that ProtoWriter.field can write an unchanged
 * field (a 100 MB weight tensor, say) back by reference and an unchanged message comes back byte
 * for byte.
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export type WireType = typeof WIRE_VARINT | typeof WIRE_FIXED64 | typeof WIRE_LEN | typeof WIRE_FIXED32;

export interface Field {
  readonly no: number;
  readonly wire: WireType;
  /** The whole field as encoded: tag, length prefix (if any) and payload. */
  readonly raw: Uint8Array;
  /** The payload: the bytes of a length-delimited field, or the 4/8 bytes of a fixed one. */
  readonly data: Uint8Array;
  /** The value of a varint field (0n for other wire types). */
  readonly varint: bigint;
}

/** The bytes are not a protocol-buffers message (or not the one expected). */
export class ProtoDecodeError extends Error {
  constructor(message: string, readonly offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'ProtoDecodeError';
  }
}

function readVarint(buf: Uint8Array, pos: number): [bigint, number] {
  let result = 0n;
  let shift = 0n;
  for (let i = pos; i < buf.length && i < pos + 10; i++) {
    const b = buf[i] as number;
    result |= BigInt(b & 0x7f) << shift;
    if ((b & 0x80) === 0) return [result, i + 1];
    shift += 7n;
  }
  throw new ProtoDecodeError('truncated or overlong varint', pos);
}

/** Fast path for the small varints (tags, lengths) that make up almost every read. */
function readSmallVarint(buf: Uint8Array, pos: number): [number, number] {
  let result = 0;
  let mul = 1;
  for (let i = pos; i < buf.length && i < pos + 8; i++) {
    const b = buf[i] as number;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return [result, i + 1];
    mul *= 128;
  }
  throw new ProtoDecodeError('truncated or oversized length/tag varint', pos);
}

/** Every field of one message, in file order (repeated fields appear once per element). */
export function decodeFields(buf: Uint8Array): Field[] {
  const fields: Field[] = [];
  let pos = 0;
  while (pos < buf.length) {
    const start = pos;
    const [tag, afterTag] = readSmallVarint(buf, pos);
    const no = Math.floor(tag / 8);
    const wire = tag % 8;
    if (no === 0) throw new ProtoDecodeError('field number 0', start);
    pos = afterTag;
    let data: Uint8Array;
    let varint = 0n;
    switch (wire) {
      case WIRE_VARINT: {
        const [v, next] = readVarint(buf, pos);
        varint = v;
        data = buf.subarray(pos, next);
        pos = next;
        break;
      }
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const size = wire === WIRE_FIXED64 ? 8 : 4;
        if (pos + size > buf.length) throw new ProtoDecodeError(`truncated fixed${size * 8} field ${no}`, start);
        data = buf.subarray(pos, pos + size);
        pos += size;
        break;
      }
      case WIRE_LEN: {
        const [len, next] = readSmallVarint(buf, pos);
        if (next + len > buf.length) throw new ProtoDecodeError(`field ${no} runs past the end of its message`, start);
        data = buf.subarray(next, next + len);
        pos = next + len;
        break;
      }
      default:
        // Groups (3, 4) are proto2 relics that ONNX never uses; anything else is not protobuf.
        throw new ProtoDecodeError(`unsupported wire type ${wire} for field ${no}`, start);
    }
    fields.push({ no, wire: wire as WireType, raw: buf.subarray(start, pos), data, varint });
  }
  return fields;
}

export function fieldString(f: Field): string {
  return new TextDecoder().decode(f.data);
}
