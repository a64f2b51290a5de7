export { discover, isDiscoverNote, isDiscoverProblem, compareCodePoints, DEFAULT_INCLUDE } from './walk.js';
export type { DiscoverItem, DiscoverNote, DiscoverOptions, DiscoverProblem } from './walk.js';
export { compileGlob, compileGlobs } from './glob.js';
export type { GlobMatcher } from './glob.js';
