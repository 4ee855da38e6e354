// The peers bench/gost-cases.ts measures against ship no types; the bench
// uses a handful of their calls and checks what they return at run time.
declare module 'node-forge';
declare module '@wavesenterprise/crypto-gost-js';
