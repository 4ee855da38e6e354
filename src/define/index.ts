/**
 * `qoltanba/define`, and the script-tag bundle `dist/qoltanba.js`: defines
 * all three tags (guarded, see define.ts) and exports everything the main
 * entry does.
 */
import { defineQoltanbaElements } from '../define.js';

export * from '../index.js';

defineQoltanbaElements();
