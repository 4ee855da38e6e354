// React for the browser tests. react and react-dom ship CommonJS only,
// which the test runner's dev server cannot serve to a browser, so this
// plugin bundles them once with esbuild into one ES module (one React
// instance for react-dom and for the wrappers) and answers the bare
// imports `react`, `react-dom` and `react-dom/client` with small modules
// that re-export its parts by name.
import { createRequire } from 'node:module';
import { build } from 'esbuild';

const require = createRequire(import.meta.url);
const PREFIX = '/__react-esm/';

/** Bare import -> the name of its part in the bundle. */
const PARTS = {
  react: 'React',
  'react-dom': 'ReactDOM',
  'react-dom/client': 'ReactDOMClient',
};

const fileOf = (source) => `${PREFIX}${source.replace('/', '-')}.js`;

/** A module that re-exports one part of the bundle, name by name. */
function reExport(source) {
  const part = PARTS[source];
  const names = Object.keys(require(source)).filter(
    (name) => name !== 'default' && /^[A-Za-z_$][\w$]*$/.test(name),
  );
  return [
    `import { ${part} } from '${PREFIX}bundle.js';`,
    `export default ${part}.default ?? ${part};`,
    `export const { ${names.join(', ')} } = ${part};`,
  ].join('\n');
}

export function reactEsm() {
  const bodies = new Map();
  return {
    name: 'react-esm',
    async serverStart() {
      const entry = Object.entries(PARTS)
        .map(([source, part]) => `export * as ${part} from '${source}';`)
        .join('\n');
      const result = await build({
        stdin: { contents: entry, resolveDir: process.cwd() },
        bundle: true,
        format: 'esm',
        write: false,
        logLevel: 'silent',
        define: { 'process.env.NODE_ENV': '"development"' },
      });
      bodies.set(`${PREFIX}bundle.js`, result.outputFiles[0].text);
      for (const source of Object.keys(PARTS)) {
        bodies.set(fileOf(source), reExport(source));
      }
    },
    resolveImport({ source }) {
      return source in PARTS ? fileOf(source) : undefined;
    },
    serve(context) {
      const body = bodies.get(context.path);
      return body === undefined ? undefined : { body, type: 'js' };
    },
  };
}
