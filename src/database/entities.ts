/** Every entity of the platform, listed explicitly (no file globs in an ESM build). */
export const ENTITIES: Function[] = [];
