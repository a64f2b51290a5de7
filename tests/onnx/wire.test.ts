import { describe, expect, it } from 'vitest';
import { decodeFields, fieldString, ProtoDecodeError, WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from '../../src/onnx/wire.js';
import { ProtoWriter } from '../../src/onnx/writer.js';

describe('decodeFields', () => {
  it('reads varints (large and negative int64), fixed32, strings and nested messages', () => {
    const inner = new ProtoWriter().int(1, 7).string(2, 'dalam');
    const bytes = new ProtoWriter()
      .int(1, 300)
      .int(2, -1)
      .int(3, 2n ** 40n)
      .float(4, 1.5)
      .string(5, 'halo')
      .message(6, inner)
      .toBytes();
    const f = decodeFields(bytes);
    expect(f.map((x) => [x.no, x.wire])).toEqual([
      [1, WIRE_VARINT],
      [2, WIRE_VARINT],
      [3, WIRE_VARINT],
      [4, WIRE_FIXED32],
      [5, WIRE_LEN],
      [6, WIRE_LEN],
    ]);
    expect(f[0]!.varint).toBe(300n);
    // int64 -1 is written as 10 bytes of 64-bit two's complement.
    expect(f[1]!.varint).toBe(2n ** 64n - 1n);
    expect(f[1]!.raw.length).toBe(11);
    expect(f[2]!.varint).toBe(2n ** 40n);
    expect(new DataView(f[3]!.data.buffer, f[3]!.data.byteOffset, 4).getFloat32(0, true)).toBe(1.5);
    expect(fieldString(f[4]!)).toBe('halo');
    const nested = decodeFields(f[5]!.data);
    expect(nested[0]!.varint).toBe(7n);
    expect(fieldString(nested[1]!)).toBe('dalam');
  });

  it('reads fixed64 fields, which ONNX writers may use for doubles', () => {
    const bytes = Uint8Array.of((9 << 3) | WIRE_FIXED64, 1, 2, 3, 4, 5, 6, 7, 8);
    const [f] = decodeFields(bytes);
    expect(f!.no).toBe(9);
    expect(Array.from(f!.data)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  it('rejects truncated and malformed input with the offset', () => {
    const good = new ProtoWriter().string(1, 'abcdef').toBytes();
    expect(() => decodeFields(good.subarray(0, good.length - 2))).toThrow(ProtoDecodeError);
    expect(() => decodeFields(Uint8Array.of(0x08, 0x80))).toThrow(/varint/);
    expect(() => decodeFields(Uint8Array.of((1 << 3) | 3))).toThrow(/wire type 3/);
    expect(() => decodeFields(Uint8Array.of(0x00, 0x01))).toThrow(/field number 0/);
  });
});

describe('ProtoWriter.field', () => {
  it('re-emits decoded fields byte for byte, by reference or by value', () => {
    const inner = new ProtoWriter().int(1, 1).packedFloats(2, [0.25, -3]);
    const original = new ProtoWriter().int(1, -5).string(2, 'x').message(3, inner).float(4, -0.5).toBytes();
    const byRef = new ProtoWriter();
    const byValue = new ProtoWriter();
    for (const f of decodeFields(original)) {
      byRef.field(f);
      if (f.wire === WIRE_VARINT) byValue.int(f.no, f.varint);
      else if (f.wire === WIRE_FIXED32) byValue.float(f.no, new DataView(f.data.buffer, f.data.byteOffset, 4).getFloat32(0, true));
      else if (f.no === 2) byValue.string(2, fieldString(f));
      else {
        const nested = new ProtoWriter();
        for (const g of decodeFields(f.data)) nested.field(g);
        byValue.message(f.no, nested);
      }
    }
    expect(byRef.toBytes()).toEqual(original);
    expect(byValue.toBytes()).toEqual(original);
    expect(byValue.length).toBe(original.length);
  });
});
