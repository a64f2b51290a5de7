/** Wire-format checks against the examples in the protocol-buffers encoding guide. */
import { describe, expect, it } from 'vitest';
import { ProtoWriter } from '../../src/onnx/writer.js';

const bytes = (w: ProtoWriter): number[] => Array.from(w.toBytes());

describe('ProtoWriter', () => {
  it('encodes a varint field (field 1 = 150 -> 08 96 01)', () => {
    expect(bytes(new ProtoWriter().int(1, 150))).toEqual([0x08, 0x96, 0x01]);
  });

  it('encodes a string field (field 2 = "testing")', () => {
    expect(bytes(new ProtoWriter().string(2, 'testing'))).toEqual([0x12, 0x07, 0x74, 0x65, 0x73, 0x74, 0x69, 0x6e, 0x67]);
  });

  it('encodes an embedded message (field 3 = {1: 150} -> 1a 03 08 96 01)', () => {
    const inner = new ProtoWriter().int(1, 150);
    expect(bytes(new ProtoWriter().message(3, inner))).toEqual([0x1a, 0x03, 0x08, 0x96, 0x01]);
  });

  it('encodes negative int64 as ten-byte two\'s complement', () => {
    expect(bytes(new ProtoWriter().int(1, -1))).toEqual([0x08, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]);
  });

  it('encodes a float as fixed32 little-endian', () => {
    expect(bytes(new ProtoWriter().float(2, 1))).toEqual([0x15, 0x00, 0x00, 0x80, 0x3f]);
  });

  it('keeps large payloads in order with correct lengths when nested', () => {
    const payload = new Uint8Array(5000).map((_, i) => i % 251);
    const inner = new ProtoWriter().int(1, 7).bytes(9, payload).string(8, 'w');
    const outer = new ProtoWriter().message(5, inner).int(2, 1);
    const out = outer.toBytes();
    expect(outer.length).toBe(out.length);
    // 2a <len 5008 = 90 27> | 08 07 | 4a <5000 = 88 27> payload | 42 01 77 | 10 01
    expect(Array.from(out.subarray(0, 8))).toEqual([0x2a, 0x90, 0x27, 0x08, 0x07, 0x4a, 0x88, 0x27]);
    expect(out.subarray(8, 5008)).toEqual(payload);
    expect(Array.from(out.subarray(5008))).toEqual([0x42, 0x01, 0x77, 0x10, 0x01]);
  });
});
