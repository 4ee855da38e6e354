// `npm run analyze`: custom-elements.json from the elements' JSDoc (tags,
// attributes, properties, events, parts, CSS properties). Storybook's docs
// tables and editors' tooling read it; package.json names it.
//
// The elements are registered in one guarded loop (src/define.ts), not by a
// `customElements.define` call beside each class, so the analyzer cannot see
// which tag belongs to which class. The plugin below says so, from the same
// table, and marks the shared base class as not an element of its own. It
// also drops the nameless event the analyzer infers from the base class's
// `new QoltanbaErrorEvent()` (its name is a static field it cannot read);
// the elements document `qoltanba-error` with @fires. Private and
// protected members (internal state, queried nodes) are left out: the
// manifest, and the docs and controls made from it, show the public API.

/** Tag of each element class, as in QOLTANBA_TAGS (src/define.ts). */
const TAGS = {
  EdsLogin: 'eds-login',
  IinLinkForm: 'iin-link-form',
  KinshipStatus: 'kinship-status',
};

function qoltanbaTags() {
  return {
    name: 'qoltanba-tags',
    packageLinkPhase({ customElementsManifest }) {
      for (const mod of customElementsManifest.modules) {
        for (const declaration of mod.declarations ?? []) {
          if (declaration.events) {
            declaration.events = declaration.events.filter((e) => e.name);
          }
          if (declaration.members) {
            declaration.members = declaration.members.filter(
              (m) =>
                !m.name.startsWith('#') &&
                m.privacy !== 'private' &&
                m.privacy !== 'protected',
            );
          }
          const tag = TAGS[declaration.name];
          if (!tag) {
            delete declaration.customElement;
            continue;
          }
          declaration.customElement = true;
          declaration.tagName = tag;
          mod.exports = [
            ...(mod.exports ?? []),
            {
              kind: 'custom-element-definition',
              name: tag,
              declaration: { name: declaration.name, module: mod.path },
            },
          ];
        }
      }
    },
  };
}

export default {
  globs: ['src/components/*.ts'],
  exclude: ['src/components/*.styles.ts'],
  outdir: 'dist',
  litelement: true,
  packagejson: true,
  plugins: [qoltanbaTags()],
};
