// Do not modify this file by hand! Re-generate it with
// `npm run localize:build` (lit-localize, then split-locales.mjs).

/* eslint-disable no-irregular-whitespace */
export const templates = {
's33f85f24c0f5f008': `Сақтау`,
's38887b94b3320533': `Электрондық пошта мекенжайы`,
's41d331c6ad24733a': `Электрондық пошта мекенжайын дұрыс форматта енгізіңіз, мысалы name@example.kz`,
's70ab5bb776df5e7c': `Электрондық пошта мекенжайыңызды енгізіңіз`,
's7db834a4e9d89e09': `Портал оны алғаш кірген кезде сұрайды: өтініштеріңіз туралы хабарламалар осы мекенжайға жіберіледі.`,
's9ada74585cd89b16': `Электрондық пошта мекенжайыңыз`,
};
