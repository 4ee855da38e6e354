// The browser tests run under Mocha, which web-test-runner loads as globals.
// @types/mocha is not installed, and tsconfig limits ambient types to node,
// so these are the few declarations the tests use.
declare namespace Mocha {
  interface Context {
    skip(): never;
    timeout(ms: number): this;
  }
  type Func = (this: Context) => void | PromiseLike<unknown>;
}

declare function describe(title: string, body: () => void): void;
declare function it(title: string, body: Mocha.Func): void;
declare function beforeEach(body: Mocha.Func): void;
declare function afterEach(body: Mocha.Func): void;
