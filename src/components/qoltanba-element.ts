/**
 * What the three Qoltanba elements share: the `backend-url` and `lang`
 * attributes, the API client, locale switching and error reporting.
 */
import { LitElement, type PropertyValues } from 'lit';
import { property } from 'lit/decorators.js';
import { ApiClient, ApiClientError } from '../api/client.js';
import { KeyFileError } from '../crypto/types.js';
import { QoltanbaErrorEvent, type QoltanbaErrorCode } from '../events.js';
import { errorDetailsLoading } from '../messages/errors.js';
import {
  isLocaleLoaded,
  loadLocale,
  renderingIn,
  resolveLocale,
  sourceLocaleCode,
  unwatchLanguage,
  watchLanguage,
  type LocaleCode,
} from '../localization.js';

export abstract class QoltanbaElement extends LitElement {
  // `lang` is the native global attribute; observing it (rather than
  // redeclaring the property) keeps the element's own inheritance rules.
  static override get observedAttributes(): string[] {
    return [...super.observedAttributes, 'lang'];
  }

  #loading: Promise<unknown> = Promise.resolve();
  /** The language this element renders in; see `resolveLocale()`. */
  #locale: LocaleCode = sourceLocaleCode;
  /** Settles when the last language switch has loaded its messages. */
  #localeSwitch: Promise<void> = Promise.resolve();
  #localeRequest = 0;

  /** The backend's base URL; every route of protocol.ts lives under it. */
  @property({ attribute: 'backend-url' }) backendUrl = '/api';

  override connectedCallback(): void {
    super.connectedCallback();
    // An ancestor's `lang` (the page's <html>) may change at run time too.
    watchLanguage(this, () => this.#followLanguage());
    void this.#followLanguage();
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    unwatchLanguage(this);
  }

  override attributeChangedCallback(
    name: string,
    old: string | null,
    value: string | null,
  ): void {
    super.attributeChangedCallback(name, old, value);
    // At once rather than through the observer, so that `updateComplete`
    // right after setting `lang` already waits for the new locale.
    if (name === 'lang' && old !== value && this.isConnected) {
      void this.#followLanguage();
    }
  }

  /** The language this element speaks now (kk, ru or en). */
  get locale(): LocaleCode {
    return this.#locale;
  }

  /**
   * Re-resolves the language; once its messages are loaded, renders in it.
   * A later switch overtakes an earlier one that is still loading.
   */
  #followLanguage(): Promise<void> {
    const next = resolveLocale(this);
    const request = ++this.#localeRequest;
    if (isLocaleLoaded(next)) {
      // At once, so that a first render already speaks it.
      this.#switchTo(next);
      this.#localeSwitch = Promise.resolve();
    } else {
      this.#localeSwitch = loadLocale(next).then(
        () => {
          if (request === this.#localeRequest) this.#switchTo(next);
        },
        // A messages chunk that cannot load leaves the element in the
        // language it had: readable, and the next switch tries again.
        () => undefined,
      );
    }
    return this.#localeSwitch.then(() => this.updateComplete).then(() => {});
  }

  #switchTo(locale: LocaleCode): void {
    if (locale === this.#locale) return;
    this.#locale = locale;
    this.requestUpdate();
    if (this.hasUpdated) this.languageChanged();
  }

  /**
   * Called when the element's language changed after its first render,
   * once the new messages are loaded: data the backend words in the
   * element's language can be fetched again.
   */
  protected languageChanged(): void {}

  /** Settles once the messages of the element's language are loaded. */
  protected get languageSettled(): Promise<void> {
    return this.#localeSwitch;
  }

  protected override async scheduleUpdate(): Promise<unknown> {
    // Hold the first render until the messages of its language are here,
    // rather than flash English and switch.
    if (!this.hasUpdated && !isLocaleLoaded(resolveLocale(this))) {
      await this.#localeSwitch;
    }
    return super.scheduleUpdate();
  }

  protected override update(changed: PropertyValues): void {
    renderingIn(this.#locale, () => super.update(changed));
  }

  /**
   * Builds a message outside render (a validation message, an
   * announcement) in this element's language.
   */
  protected inOwnLocale<T>(build: () => T): T {
    return renderingIn(this.#locale, build);
  }

  protected override async getUpdateComplete(): Promise<boolean> {
    // Settle a locale switch and a pending load first, so that
    // `await el.updateComplete` means "rendered, with data, in the right
    // language".
    await this.#localeSwitch;
    await this.#loading;
    const done = await super.getUpdateComplete();
    // An error shown in that render may still wait for its sentence.
    const sentences = errorDetailsLoading();
    if (!sentences) return done;
    await sentences;
    return super.getUpdateComplete();
  }

  /**
   * Marks a load (session check, list fetch) that `updateComplete` waits
   * for. Only for loads: a handler that awaits `updateComplete` must not
   * pass its own promise here.
   */
  protected load(task: Promise<unknown>): void {
    this.#loading = task.catch(() => undefined);
  }

  /** A client for the current `backend-url`, in the element's language. */
  protected get api(): ApiClient {
    return new ApiClient(this.backendUrl, { language: this.#locale });
  }

  /**
   * The stable code of whatever a call threw. Anything that is not one of
   * our typed errors is a bug or a broken backend: UNEXPECTED.
   */
  protected codeOf(error: unknown): QoltanbaErrorCode {
    if (error instanceof ApiClientError) return error.code;
    if (error instanceof KeyFileError) return error.code;
    return 'UNEXPECTED';
  }

  /** Tells the page that this element showed an error. */
  protected reportError(code: QoltanbaErrorCode): void {
    this.dispatchEvent(
      new QoltanbaErrorEvent({ code, source: this.localName }),
    );
  }
}
