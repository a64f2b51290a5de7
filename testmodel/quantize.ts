/**
 * Weight quantization in the layout ONNX Runtime's `quantize_dynamic` writes: per-tensor symmetric
 * int8 weights with a float scale and an int8 zero point of 0; activations are quantized at run time
 * by DynamicQuantizeLinear (uint8), so MatMulInteger sees (uint8, int8) operands.
 */

export interface QuantizedTensor {
  readonly data: Int8Array;
  readonly scale: number;
}

export function quantizeSymmetricInt8(w: Float32Array): QuantizedTensor {
  let maxAbs = 0;
  for (const v of w) {
    const a = Math.abs(v);
    if (a > maxAbs) maxAbs = a;
  }
  // An all-zero tensor still needs a positive scale: ONNX Runtime divides by nothing, but a 0 scale
  // would make every output exactly 0 and hide bugs in the consumer graph.
  const scale = maxAbs > 0 ? maxAbs / 127 : 1;
  const data = new Int8Array(w.length);
  for (let i = 0; i < w.length; i++) {
    const q = Math.round((w[i] as number) / scale);
    data[i] = q > 127 ? 127 : q < -127 ? -127 : q;
  }
  // Round-trip through float32 so the scale written to the file is exactly the one used here.
  return { data, scale: Math.fround(scale) };
}
