// The script-tag bundle: dist/qoltanba.js defines the three elements and
// exports the whole API, with lit and everything else inside (no bare
// imports), so a page needs nothing but this file and its chunks. The
// key-file and signing code (PKCS#12, certificates, CMS, GOST on asn1js;
// no pkijs, which only the server's verifier uses) lands in chunks that load
// only when a user opens a key file; the NCALayer and eGov parts of
// <eds-login> load when chosen, and each locale's messages are a chunk too.
//
// The npm entries (dist/lib, dist/types) are not bundled: `tsc -p
// tsconfig.build.json` emits them module by module with bare imports, so an
// application's bundler shares one copy of lit with the rest of the app.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';
import { rmSync } from 'node:fs';

// Chunk names carry a content hash, so every build adds new files: remove
// the old ones, or the npm package ships every chunk ever built.
const cleanChunks = {
  name: 'clean-chunks',
  buildStart() {
    rmSync('dist/chunks', { recursive: true, force: true });
  },
};

export default {
  input: { qoltanba: 'src/define/index.ts' },
  // Lets the entry export internals to its chunks, instead of becoming a
  // facade that re-exports a shared chunk: one request fewer before the
  // elements render.
  preserveEntrySignatures: 'allow-extension',
  output: {
    dir: 'dist',
    format: 'es',
    entryFileNames: '[name].js',
    chunkFileNames: 'chunks/[name]-[hash].js',
    sourcemap: true,
  },
  plugins: [
    cleanChunks,
    nodeResolve({
      browser: true,
      exportConditions: ['browser', 'production'],
    }),
    esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false } }),
  ],
};
