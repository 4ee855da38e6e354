// Do not modify this file by hand! Re-generate it with
// `npm run localize:build` (lit-localize, then split-locales.mjs).

/* eslint-disable no-irregular-whitespace */
export const templates = {
's33f85f24c0f5f008': `Сохранить`,
's38887b94b3320533': `Адрес электронной почты`,
's41d331c6ad24733a': `Введите адрес электронной почты в правильном формате, например name@example.kz`,
's70ab5bb776df5e7c': `Введите адрес электронной почты`,
's7db834a4e9d89e09': `Портал запрашивает его при первом входе, чтобы присылать новости о ваших заявлениях.`,
's9ada74585cd89b16': `Ваш адрес электронной почты`,
};
