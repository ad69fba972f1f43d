// @hey-api/openapi-ts configuration: generate.sh runs it; nothing in src/generated is edited by hand.
import { defineConfig } from '@hey-api/openapi-ts';

export default defineConfig({
  input: '../../openapi/openapi.json',
  output: {
    // generate.sh --check points this at a temp dir to compare with the committed code.
    path: process.env.SHELLWISE_GENERATED_DIR ?? 'src/generated',
    tsConfigPath: './tsconfig.json',
    // ESM in Node needs explicit `.js` extensions on relative imports.
    module: { extension: '.js' },
  },
  plugins: [
    '@hey-api/typescript',
    '@hey-api/sdk',
    {
      name: '@hey-api/client-fetch',
      // The spec has no `servers`; every client passes its own baseUrl.
      baseUrl: false,
      // The default client that the raw generated functions use must not retry SSE requests
      // (it would re-POST a command); see src/runtime-config.ts.
      runtimeConfigPath: '../runtime-config.js',
    },
  ],
});
