// Do not modify this file by hand! Re-generate it with
// `npm run localize:build` (lit-localize, then split-locales.mjs).
import { str } from '@lit/localize';

/* eslint-disable no-irregular-whitespace */
export const templates = {
's3b4f05a5242ecba1': str`Код тағы ${0} жарамды.`,
's6552fb155ed013d1': `eGov Mobile арқылы қол қою`,
's7166fc60f1283111': `QR кодтың мерзімі өтті.`,
's7c11f7f602e0f162': `QR кодты eGov Mobile қосымшасымен сканерлеп, телефонда қол қойыңыз.`,
's81d40ec1d565ea7e': `QR код дайындалуда…`,
's961fe586665c74d3': `Осы телефонда eGov Mobile ашу`,
's97243368c4a9baf9': `eGov Mobile үшін QR код`,
'sbf5495f49119b7a8': `Басқа тәсілді таңдау`,
'scf47fea10c815fd9': `Жаңа QR кодты көрсету`,
'sd080252e79023ecd': `QR кодтың мерзімі өтті. Қайталау үшін жаңасын көрсетіңіз.`,
'seb0189a77bf5fa2c': `Телефоныңызда eGov Mobile қосымшасын ашып, QR код арқылы қол қоюды таңдаңыз да, камераны осы кодқа бағыттаңыз.`,
};
