/** Batch-invariant int8: q8 ONNX graphs rewritten to quantize activations per row, prepared once per model. */
export { prepareRowQuantized, prepareRowQuantizedFolder, ROW_Q8_VERSION, type PreparedRowQuantized, type PrepareOptions } from './prepare.js';
export { rowQuantize, rowQuantizeModel, RowQuantizeError, type RowQuantizeResult } from './row-quantize.js';
