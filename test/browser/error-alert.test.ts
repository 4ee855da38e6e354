// The error alert appears whole: most error sentences load on the first
// error (src/messages/errors.ts), and the alert must not show, nor be
// announced, before its sentence is there. First in its own file so that
// the sentences are not loaded yet.
import { expect } from '@open-wc/testing';
import type { KinshipStatus } from '../../src/components/kinship-status.js';
import '../../src/define/index.js';
import { FakeBackend } from './support/fake-backend.js';

describe('the error alert', () => {
  it('shows only with its sentence, in the element language', async () => {
    const backend = new FakeBackend().install();
    backend.loggedIn = true;
    backend.failNext('GET /children', 'RATE_LIMITED');
    const firstSeen: string[] = [];
    const watch = new MutationObserver(() => {
      const alert = element?.shadowRoot?.querySelector('#error');
      if (alert && firstSeen.length === 0) {
        firstSeen.push(alert.textContent!.replace(/\s+/g, ' ').trim());
      }
    });
    let element: KinshipStatus | null = null;
    try {
      element = document.createElement('kinship-status') as KinshipStatus;
      element.lang = 'ru';
      document.body.append(element);
      // Before the first answer: the alert is watched from its first node.
      watch.observe(element.shadowRoot!, { childList: true, subtree: true });
      await element.updateComplete;
      const alert = element.shadowRoot!.querySelector('#error');
      expect(alert, 'an alert').to.not.equal(null);
      expect(alert!.textContent).to.contain('Слишком много попыток');
      expect(firstSeen, 'the alert as it first appeared').to.have.length(1);
      expect(firstSeen[0]).to.contain('Слишком много попыток');
    } finally {
      watch.disconnect();
      element?.remove();
      backend.uninstall();
    }
  });
});
