export { TranslationMemory, MEMORY_SCHEMA_VERSION, memoryKey, humanKey } from './memory.js';
export type { HumanTranslation, MemoryEntry, MemoryStats, OpenMemoryOptions } from './memory.js';
export { modelKeyOf } from './modelKey.js';
