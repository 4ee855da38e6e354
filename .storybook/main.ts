// Storybook for the three elements: `npm run storybook` (dev server on
// :6006) and `npm run build-storybook` (static site in storybook-static/).
// The backend is mocked in the browser with msw, so the static site needs
// no server; its service worker is served from stories/public/.
import type { StorybookConfig } from '@storybook/web-components-vite';

const config: StorybookConfig = {
  stories: ['../stories/**/*.stories.ts'],
  addons: ['@storybook/addon-docs'],
  framework: { name: '@storybook/web-components-vite', options: {} },
  staticDirs: ['../stories/public'],
  core: { disableTelemetry: true },
};

export default config;
