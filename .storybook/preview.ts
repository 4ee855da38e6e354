// Every story: the elements defined, docs tables from the custom elements
// manifest (`npm run analyze` writes it before Storybook starts), and the
// backend mocked by msw with the handlers each story gives in
// `parameters.msw.handlers`.
import { setCustomElementsManifest } from '@storybook/web-components-vite';
import type { Preview } from '@storybook/web-components-vite';
import { initialize, mswLoader } from 'msw-storybook-addon';
import manifest from '../dist/custom-elements.json';
import '../src/define/index.js';

setCustomElementsManifest(manifest);

// Requests no story mocks (Storybook's own files) go to the network as
// usual; the stories' backend calls are all mocked.
initialize({ onUnhandledRequest: 'bypass', quiet: true });

const preview: Preview = {
  loaders: [mswLoader],
  tags: ['autodocs'],
  parameters: {
    controls: { expanded: true },
    layout: 'padded',
  },
};

export default preview;
