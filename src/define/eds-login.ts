/**
 * `qoltanba/define/eds-login`: defines `<eds-login>` (guarded) and exports its
 * class.
 */
import { defineElement } from '../define.js';

export { EdsLogin } from '../components/eds-login.js';

defineElement('eds-login');
