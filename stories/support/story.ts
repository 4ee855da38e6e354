/** What every element's stories share: the language and backend controls. */
import type { ArgTypes } from '@storybook/web-components-vite';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;

export interface ElementArgs {
  lang: (typeof LANGUAGES)[number];
  'backend-url': string;
}

export const elementArgs: ElementArgs = { lang: 'kk', 'backend-url': '/api' };

export const elementArgTypes: Partial<ArgTypes<ElementArgs>> = {
  lang: {
    control: 'inline-radio',
    options: [...LANGUAGES],
    description: 'Language: kk (Kazakh), ru (Russian) or en (English).',
  },
  'backend-url': {
    control: 'text',
    description: 'Base URL of the backend protocol (mocked here).',
  },
};
