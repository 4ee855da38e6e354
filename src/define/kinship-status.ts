/**
 * `qoltanba/define/kinship-status`: defines `<kinship-status>` (guarded)
 * and exports its class.
 */
import { defineElement } from '../define.js';

export { KinshipStatus } from '../components/kinship-status.js';

defineElement('kinship-status');
