/**
 * One app, two hosts. REMIX_TARGET picks the server build:
 *  - node   (default): build/node/index.js, imported by server/node.ts (Express)
 *  - worker: build/worker/index.js, a Cloudflare Worker bundle whose entry is server/worker.ts
 * Each target writes its own browser assets so the two builds never overwrite each other.
 * @type {import('@remix-run/dev').AppConfig}
 */
const target = process.env.REMIX_TARGET === 'worker' ? 'worker' : 'node';

const common = {
  ignoredRouteFiles: ['**/.*', '**/*.test.*'],
  publicPath: '/build/',
  serverModuleFormat: 'esm',
  future: {
    v3_fetcherPersist: true,
    v3_relativeSplatPath: true,
    v3_throwAbortReason: true,
    v3_lazyRouteDiscovery: true,
    v3_singleFetch: false,
  },
};

const node = {
  ...common,
  assetsBuildDirectory: 'build/node/public/build',
  serverBuildPath: 'build/node/index.js',
  serverPlatform: 'node',
};

const worker = {
  ...common,
  server: './server/worker.ts',
  assetsBuildDirectory: 'build/worker/public/build',
  serverBuildPath: 'build/worker/index.js',
  serverConditions: ['workerd', 'worker', 'browser'],
  serverDependenciesToBundle: 'all',
  serverMainFields: ['browser', 'module', 'main'],
  serverMinify: true,
  serverPlatform: 'neutral',
  // bcryptjs falls back to node's crypto only when Web Crypto is missing; workerd has Web Crypto.
  serverNodeBuiltinsPolyfill: { modules: { crypto: 'empty' } },
};

export default target === 'worker' ? worker : node;
