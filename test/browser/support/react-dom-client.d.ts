// @types/react-dom is not installed: the parts of react-dom that
// react.test.ts uses.
declare module 'react-dom/client' {
  import type { ReactNode } from 'react';

  export interface Root {
    render(children: ReactNode): void;
    unmount(): void;
  }

  export function createRoot(container: Element): Root;
}

declare module 'react-dom' {
  export function flushSync<R>(fn: () => R): R;
}
