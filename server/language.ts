/**
 * The language an API answer is given in, for the texts the server holds
 * in several languages (kindergarten names): the `lang` query parameter
 * when the page names one, else the best of Accept-Language, else Kazakh.
 * Error messages stay English: the elements show their own text per code.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiHttpError } from './errors.js';

export const LANGUAGES = ['kk', 'ru', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** The portal's first language, and the answer when nothing else fits. */
export const DEFAULT_LANGUAGE: Language = 'kk';

const isLanguage = (value: string): value is Language =>
  (LANGUAGES as readonly string[]).includes(value);

/**
 * The request's language. A `lang` query that is not kk, ru or en (or is
 * given twice) is the page's mistake: BAD_REQUEST, rather than an answer
 * in a language it did not ask for.
 */
export function requestLanguage(request: FastifyRequest): Language {
  const lang = (request.query as Record<string, unknown> | undefined)?.lang;
  if (lang !== undefined) {
    if (typeof lang === 'string' && isLanguage(lang.toLowerCase())) {
      return lang.toLowerCase() as Language;
    }
    throw new ApiHttpError(
      'BAD_REQUEST',
      `lang must be one of ${LANGUAGES.join(', ')}.`,
    );
  }
  return acceptedLanguage(request.headers['accept-language']);
}

/**
 * The best of our languages in an Accept-Language header (RFC 9110
 * §12.5.4): by q-value, then by order; "ru-KZ" counts as "ru". A header
 * that names none of ours, or cannot be read, gives the default.
 */
export function acceptedLanguage(header: string | undefined): Language {
  if (!header) return DEFAULT_LANGUAGE;
  const ranked = header
    .split(',')
    .slice(0, 32)
    .map((part, index) => {
      const [tag = '', ...params] = part.trim().split(';');
      const weight = params.find((p) => /^\s*q\s*=/i.test(p));
      // A weight that cannot be read leaves the entry out.
      const q = weight?.trim().match(/^q\s*=\s*([01](?:\.\d{0,3})?)$/i);
      return {
        language: tag.trim().toLowerCase().split('-')[0] ?? '',
        q: weight === undefined ? 1 : q ? Math.min(1, Number(q[1])) : 0,
        index,
      };
    })
    .filter((r) => r.q > 0 && isLanguage(r.language))
    .sort((a, b) => b.q - a.q || a.index - b.index);
  return (ranked[0]?.language as Language | undefined) ?? DEFAULT_LANGUAGE;
}

/** Names the answer's language, and that it depends on the header. */
export function markLanguage(reply: FastifyReply, language: Language): void {
  reply.header('content-language', language);
  const vary = reply.getHeader('vary');
  reply.header(
    'vary',
    vary ? `${String(vary)}, Accept-Language` : 'Accept-Language',
  );
}
