/**
 * Field numbers and enum values of onnx/onnx.proto (proto2) used by this codec, named once so that
 * the reader (graph.ts), the builder (build.ts) and the editor (edit.ts) cannot disagree.
 */

export const MODEL = {
  irVersion: 1,
  producerName: 2,
  producerVersion: 3,
  graph: 7,
  opsetImport: 8,
  metadataProps: 14,
  functions: 25,
} as const;

export const OPSET = { domain: 1, version: 2 } as const;

export const STRING_ENTRY = { key: 1, value: 2 } as const;

export const GRAPH = {
  node: 1,
  name: 2,
  initializer: 5,
  input: 11,
  output: 12,
} as const;

export const NODE = {
  input: 1,
  output: 2,
  name: 3,
  opType: 4,
  attribute: 5,
  domain: 7,
} as const;

export const FUNCTION = { node: 7 } as const;

export const ATTRIBUTE = {
  name: 1,
  f: 2,
  i: 3,
  t: 5,
  g: 6,
  ints: 8,
  graphs: 11,
  type: 20,
} as const;

/** AttributeProto.AttributeType */
export const ATTRIBUTE_TYPE = { float: 1, int: 2, tensor: 4, graph: 5, ints: 7 } as const;

export const TENSOR = {
  dims: 1,
  dataType: 2,
  name: 8,
  rawData: 9,
  dataLocation: 14,
} as const;

/** TensorProto.DataLocation.EXTERNAL */
export const DATA_LOCATION_EXTERNAL = 1n;

export const VALUE_INFO = { name: 1, type: 2 } as const;
/** TypeProto.tensor_type, TypeProto.Tensor.{elem_type, shape}, TensorShapeProto.dim, Dimension.{dim_value, dim_param} */
export const TYPE = { tensorType: 1 } as const;
export const TENSOR_TYPE = { elemType: 1, shape: 2 } as const;
export const SHAPE = { dim: 1 } as const;
export const DIMENSION = { value: 1, param: 2 } as const;

/** TensorProto.DataType values. */
export const DataType = {
  float: 1,
  uint8: 2,
  int8: 3,
  int32: 6,
  int64: 7,
  bool: 9,
} as const;
export type ElemType = keyof typeof DataType;
