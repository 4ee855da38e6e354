// Builds the browser bundle: dist/qoltanba.js defines the three elements; the
// key-file and signing code (pkijs, asn1js) lands in a chunk of its own that
// loads only when a user opens a key file.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';
import esbuild from 'rollup-plugin-esbuild';

export default {
  input: { qoltanba: 'src/index.ts' },
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
