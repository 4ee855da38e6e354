/**
 * Counted phrases. Each phrase has one message per CLDR plural category
 * that any shipped language needs (Russian: one, few, many, other; Kazakh
 * and English: one, other), and `Intl.PluralRules` for the active locale
 * picks the form. No language gets hand-written plural logic.
 */
import { msg, str } from '@lit/localize';
import { getLocale } from '../localization.js';

/** The plural category of a count in the active locale. */
export function pluralCategory(count: number): Intl.LDMLPluralRule {
  return new Intl.PluralRules(getLocale()).select(count);
}

/** "2 children linked", for the heading of `<kinship-status>`. */
export function childrenLinked(count: number): string {
  switch (pluralCategory(count)) {
    case 'one':
      return msg(str`${count} child linked`, { id: 'children-linked-one' });
    case 'few':
      return msg(str`${count} children linked`, { id: 'children-linked-few' });
    case 'many':
      return msg(str`${count} children linked`, {
        id: 'children-linked-many',
      });
    default:
      return msg(str`${count} children linked`, {
        id: 'children-linked-other',
      });
  }
}

/** "in 12 days", inside the warning about a key that expires soon. */
export function daysLeft(count: number): string {
  switch (pluralCategory(count)) {
    case 'one':
      return msg(str`${count} day left`, { id: 'days-left-one' });
    case 'few':
      return msg(str`${count} days left`, { id: 'days-left-few' });
    case 'many':
      return msg(str`${count} days left`, { id: 'days-left-many' });
    default:
      return msg(str`${count} days left`, { id: 'days-left-other' });
  }
}
