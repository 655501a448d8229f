import { cleanup } from '@testing-library/react';
import { afterEach, vi } from 'vitest';

// jsdom lacks a few layout APIs that Radix menus and dialogs call.
class ResizeObserverStub {
  observe() {}
  unobserve() {}
  disconnect() {}
}
globalThis.ResizeObserver ??= ResizeObserverStub as unknown as typeof ResizeObserver;
Element.prototype.scrollIntoView ??= function scrollIntoView() {};
Element.prototype.hasPointerCapture ??= () => false;
Element.prototype.releasePointerCapture ??= () => {};

// The windowed message list (MSG-01) needs a viewport and scrolling: the scroller is 600 px
// tall, scrollTo moves scrollTop and announces it as the browser does.
const isScroller = (element: HTMLElement) => element.dataset.testid === 'message-scroller';
const scrollTops = new WeakMap<HTMLElement, number>();
const nativeScrollTop = Object.getOwnPropertyDescriptor(Element.prototype, 'scrollTop')!;
/** The scroller's content: the heights its children were given (the list's sized box, the "loading older" line). */
function contentHeight(element: HTMLElement): number {
  return [...element.children].reduce((sum, child) => sum + (parseFloat((child as HTMLElement).style.height) || 32), 0);
}
Object.defineProperty(HTMLElement.prototype, 'clientHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? 600 : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, 'scrollHeight', {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? Math.max(600, contentHeight(this)) : 0;
  },
});
Object.defineProperty(HTMLElement.prototype, 'scrollTop', {
  configurable: true,
  get(this: HTMLElement) {
    return isScroller(this) ? (scrollTops.get(this) ?? 0) : (nativeScrollTop.get!.call(this) as number);
  },
  set(this: HTMLElement, value: number) {
    if (isScroller(this)) scrollTops.set(this, Math.max(0, Math.min(value, this.scrollHeight - 600)));
    else nativeScrollTop.set!.call(this, value);
  },
});
Element.prototype.scrollTo ??= function scrollTo(this: Element, options?: ScrollToOptions | number) {
  if (typeof options === 'object' && options.top !== undefined) this.scrollTop = options.top;
  // As in a browser, the scroll event comes after the call, never inside it (a React render may be running).
  queueMicrotask(() => this.dispatchEvent(new Event('scroll')));
} as Element['scrollTo'];

/**
 * jsdom has no IntersectionObserver: this one reports every observed element that is in the
 * document as visible (the windowed list only renders rows in view, so "rendered" is "seen").
 */
class IntersectionObserverStub {
  readonly #callback: IntersectionObserverCallback;
  constructor(callback: IntersectionObserverCallback) {
    this.#callback = callback;
  }
  observe(target: Element) {
    queueMicrotask(() => this.#callback([{ target, isIntersecting: target.isConnected } as IntersectionObserverEntry], this as unknown as IntersectionObserver));
  }
  unobserve() {}
  disconnect() {}
  takeRecords() {
    return [];
  }
}
globalThis.IntersectionObserver ??= IntersectionObserverStub as unknown as typeof IntersectionObserver;

// "No console errors": a React warning or an error logged by a component fails the test.
const consoleError = console.error;
afterEach(() => {
  cleanup();
  localStorage.clear();
  sessionStorage.clear();
  vi.useRealTimers();
});
console.error = (...args: unknown[]) => {
  consoleError(...args);
  throw new Error(`console.error was called: ${args.map(String).join(' ').slice(0, 300)}`);
};
