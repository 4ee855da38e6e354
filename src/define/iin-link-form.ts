/**
 * `qoltanba/define/iin-link-form`: defines `<iin-link-form>` (guarded) and
 * exports its class.
 */
import { defineElement } from '../define.js';

export { IinLinkForm } from '../components/iin-link-form.js';

defineElement('iin-link-form');
