export { startUpstashRest, type UpstashRestOptions, type UpstashRestServer } from './server';
export { stripUnknownShebangFlags, sha1Hex } from './lua-shebang';
