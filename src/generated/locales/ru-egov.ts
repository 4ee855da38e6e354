// Do not modify this file by hand! Re-generate it with
// `npm run localize:build` (lit-localize, then split-locales.mjs).
import { str } from '@lit/localize';

/* eslint-disable no-irregular-whitespace */
export const templates = {
's3b4f05a5242ecba1': str`Код действует ещё ${0}.`,
's6552fb155ed013d1': `Подписать через eGov Mobile`,
's7166fc60f1283111': `Срок QR-кода истёк.`,
's7c11f7f602e0f162': `Отсканируйте QR-код приложением eGov Mobile и подпишите на телефоне.`,
's81d40ec1d565ea7e': `Готовим QR-код…`,
's961fe586665c74d3': `Открыть eGov Mobile на этом телефоне`,
's97243368c4a9baf9': `QR-код для eGov Mobile`,
'sbf5495f49119b7a8': `Выбрать другой способ`,
'scf47fea10c815fd9': `Показать новый QR-код`,
'sd080252e79023ecd': `Срок QR-кода истёк. Покажите новый, чтобы попробовать снова.`,
'seb0189a77bf5fa2c': `Откройте на телефоне приложение eGov Mobile, выберите подписание по QR-коду и наведите камеру на этот код.`,
};
