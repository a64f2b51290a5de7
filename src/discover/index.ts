export { discover, isDiscoverProblem, compareCodePoints, DEFAULT_INCLUDE } from './walk.js';
export type { DiscoverOptions, DiscoverProblem, SkipReason } from './walk.js';
export { compileGlob, compileGlobs } from './glob.js';
export type { GlobMatcher } from './glob.js';
