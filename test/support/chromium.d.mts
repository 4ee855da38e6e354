/** Flags that keep a headless Chromium off the network and fast here. */
export declare const CHROMIUM_ARGS: string[];
/** The Chromium binary to drive; throws saying what to install if none. */
export declare function findChromium(): string;
