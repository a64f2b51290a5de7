export { acquireLock, isPidAlive, LOCK_FILE, STATE_DIR } from './lock.js';
export type { Lock, LockInfo, LockOptions } from './lock.js';
export { isUpToDate, outputsExist, RunManifest, MANIFEST_FILE, MANIFEST_VERSION } from './manifest.js';
export type { FileStatus, LoadManifestOptions, ManifestData, ManifestFileEntry, ManifestModel } from './manifest.js';
