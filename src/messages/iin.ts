/** Localized reasons why an IIN typed into a form cannot be used. */
import { msg } from '@lit/localize';
import type { IinProblem } from '../core/iin.js';

/** Problems the form finds before anything is sent. */
export type IinFieldProblem = IinProblem | 'too-old' | 'own-iin';

/** The error text under the IIN field, one per reason. */
export function iinProblemMessage(problem: IinFieldProblem): string {
  switch (problem) {
    case 'empty':
      return msg('Enter the IIN of your child');
    case 'not-digits':
      return msg('The IIN must contain only digits');
    case 'wrong-length':
      return msg('The IIN must be 12 digits long');
    case 'unknown-century':
      return msg('The 7th digit of the IIN must be from 1 to 6');
    case 'impossible-date':
      return msg(
        'The first 6 digits of the IIN must be a real date of birth (year, month, day)',
      );
    case 'checksum':
      return msg(
        'This IIN does not exist: the last digit does not match. Check every digit',
      );
    case 'too-old':
      return msg(
        'The child must be under 7: the kindergarten queue is for younger children',
      );
    case 'own-iin':
      return msg('This is your own IIN. Enter the IIN of your child');
  }
}
