export { main } from './main.js';
export { createSource, spec, type SourceDeps } from './source.js';
export type { CioConfig, Region } from './config.js';
export { CioClient } from './client/cio-client.js';
export { CioApi } from './client/endpoints.js';
export { REGION_BASE_URL, baseUrlOf } from './client/base-url.js';
