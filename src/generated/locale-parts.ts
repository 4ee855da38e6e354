// Do not modify this file by hand!
// Re-generate it with `npm run localize:build` (scripts/split-locales.mjs).

/** The messages of each lazily loaded part, per locale. */
export const localePartLoaders = {
  kk: {
    keys: () => import('./locales/kk-keys.js'),
    ncalayer: () => import('./locales/kk-ncalayer.js'),
    egov: () => import('./locales/kk-egov.js'),
    email: () => import('./locales/kk-email.js'),
    errors: () => import('./locales/kk-errors.js'),
  },
  ru: {
    keys: () => import('./locales/ru-keys.js'),
    ncalayer: () => import('./locales/ru-ncalayer.js'),
    egov: () => import('./locales/ru-egov.js'),
    email: () => import('./locales/ru-email.js'),
    errors: () => import('./locales/ru-errors.js'),
  },
};

export type LocalePart = keyof (typeof localePartLoaders)['kk'];
