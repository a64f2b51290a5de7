import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { encodeModel, floatBytes, type GraphDef } from '../../src/onnx/build.js';
import { OnnxModel } from '../../src/onnx/edit.js';
import { ProtoDecodeError } from '../../src/onnx/wire.js';

/** y = x + bias, x float [rows, 3]; the bias is a 3-element initializer. */
function addGraph(): GraphDef {
  return {
    name: 'edit_test',
    nodes: [{ name: 'add', opType: 'Add', inputs: ['x', 'bias'], outputs: ['y'], attributes: [] }],
    initializers: [{ name: 'bias', elemType: 'float', dims: [3], raw: floatBytes(Float32Array.of(1, 2, 3)) }],
    inputs: [{ name: 'x', elemType: 'float', shape: ['rows', 3] }],
    outputs: [{ name: 'y', elemType: 'float', shape: ['rows', 3] }],
  };
}

const modelBytes = (): Uint8Array =>
  encodeModel(addGraph(), { opset: 17, irVersion: 8, producerName: 'edit-test', producerVersion: '1', metadata: { k: 'v' } }).toBytes();

describe('OnnxModel', () => {
  it('writes a loaded model back byte for byte when nothing is added', () => {
    const bytes = modelBytes();
    expect(OnnxModel.load(bytes).toBytes()).toEqual(bytes);
  });

  it('reads the opset and the names already in use', () => {
    const model = OnnxModel.load(modelBytes());
    expect(model.opset()).toBe(17);
    expect(model.opset('com.microsoft')).toBeUndefined();
    expect([...model.names()].sort()).toEqual(['add', 'bias', 'x', 'y']);
    model.addNodes({ name: 'neg', opType: 'Neg', inputs: ['y'], outputs: ['z'], attributes: [] });
    expect(model.names().has('z')).toBe(true);
  });

  it('appends nodes, an initializer and an output that ONNX Runtime runs', async () => {
    const model = OnnxModel.load(modelBytes())
      .addInitializers({ name: 'two', elemType: 'float', dims: [], raw: floatBytes(Float32Array.of(2)) })
      .addNodes(
        { name: 'double', opType: 'Mul', inputs: ['y', 'two'], outputs: ['y2'], attributes: [] },
        { name: 'best', opType: 'ArgMax', inputs: ['y2'], outputs: ['best_index'], attributes: [{ name: 'axis', kind: 'int', value: -1 }, { name: 'keepdims', kind: 'int', value: 0 }] },
      )
      .addOutputs({ name: 'y2', elemType: 'float', shape: ['rows', 3] }, { name: 'best_index', elemType: 'int64', shape: ['rows'] });
    const session = await ort.InferenceSession.create(model.toBytes());
    try {
      const x = new ort.Tensor('float32', Float32Array.of(0, 0, 0, 10, -10, 0), [2, 3]);
      const out = await session.run({ x });
      // Worked by hand: y = x + [1, 2, 3]; y2 = 2y; argmax per row.
      expect(Array.from(out['y']!.data as Float32Array)).toEqual([1, 2, 3, 11, -8, 3]);
      expect(Array.from(out['y2']!.data as Float32Array)).toEqual([2, 4, 6, 22, -16, 6]);
      expect(Array.from(out['best_index']!.data as BigInt64Array)).toEqual([2n, 0n]);
    } finally {
      await session.release();
    }
  });

  it('drops a graph output when asked, keeping the value for the nodes that read it', async () => {
    const model = OnnxModel.load(modelBytes())
      .addNodes({ name: 'neg', opType: 'Neg', inputs: ['y'], outputs: ['z'], attributes: [] })
      .addOutputs({ name: 'z', elemType: 'float', shape: ['rows', 3] })
      .removeOutputs('y');
    expect(model.outputs()).toEqual(['z']);
    expect(() => model.removeOutputs('nope')).toThrow(/no output "nope"/);
    const session = await ort.InferenceSession.create(model.toBytes());
    try {
      expect(session.outputNames).toEqual(['z']);
      const out = await session.run({ x: new ort.Tensor('float32', Float32Array.of(1, 1, 1), [1, 3]) });
      expect(Array.from(out['z']!.data as Float32Array)).toEqual([-2, -3, -4]);
    } finally {
      await session.release();
    }
  });

  it('rejects bytes that are not a model', () => {
    expect(() => OnnxModel.load(Uint8Array.of(0x08, 0x80))).toThrow(ProtoDecodeError);
    expect(() => OnnxModel.load(Uint8Array.of(0x08, 0x01))).toThrow(/no graph/);
  });
});
