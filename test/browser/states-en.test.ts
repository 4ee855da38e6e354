// Every state of the three elements in English: axe, and no untranslated text.
import '../../src/define/index.js';
import { describeStates } from './support/states.js';

describeStates('en');
