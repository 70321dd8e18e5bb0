// Connector images without Docker: parse the Dockerfiles, stage an image's tree, run commands as the
// image would (uid 1000, its WORKDIR, its Node), and register acceptance runs against it.
export { contextSources, dockerignore, keyValues, parseDockerfile } from './dockerfile.js';
export type { CopyInstruction, Stage } from './dockerfile.js';
export { IMAGE_NODE_VERSION, imageNodeBinDir, nodeVersionOfImage } from './node-runtime.js';
export { imageStages, stageImage } from './stage.js';
export type { StagedImage } from './stage.js';
export { assertCanRunAsImage, imageCommand } from './run-as-image.js';
export { REPO_ROOT, stagedAcceptance } from './staged-acceptance.js';
export type { StagedAcceptance } from './staged-acceptance.js';
export { registerImageContentChecks } from './image-contents.js';
export { standardSecrets } from './standard-secrets.js';
export type { SimulatorInfo } from './standard-secrets.js';
export { allowedHostsFor, hostAllowed } from './allowed-hosts.js';
