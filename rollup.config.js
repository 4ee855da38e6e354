// The script-tag bundle: dist/qoltanba.js defines the three elements and
// exports the whole API, with lit and everything else inside (no bare
// imports), so a page needs nothing but this file and its chunks. The
// key-file and signing code (pkijs, asn1js) lands in a chunk of its own that
// loads only when a user opens a key file; each locale's messages are a
// chunk too.
//
// The npm entries (dist/lib, dist/types) are not bundled: `tsc -p
// tsconfig.build.json` emits them module by module with bare imports, so an
// application's bundler shares one copy of lit with the rest of the app.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

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
    nodeResolve({
      browser: true,
      exportConditions: ['browser', 'production'],
    }),
    esbuild({ target: 'es2022', tsconfig: 'tsconfig.json' }),
    terser({ format: { comments: false } }),
  ],
};
