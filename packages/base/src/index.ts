export { ConfigError, GrokscopeError } from './errors';
export { Rng, type RngState } from './rng';
