export { TranslationMemory, MEMORY_SCHEMA_VERSION, memoryKey } from './memory.js';
export type { MemoryEntry, MemoryStats, OpenMemoryOptions } from './memory.js';
export { modelKeyOf } from './modelKey.js';
