/**
 * Keyboard users keep their place: when a contact dialog closes, focus goes back to what opened
 * it. A dialog opened from a row's menu returns to that row's menu button (the menu item is gone
 * by then); if that is gone too (the contact was removed), to the "add contact" button.
 */
export function focusReturnTarget(origin: Element | null, contactKey: string | null): () => HTMLElement | null {
  const fromMenu = origin === null || origin === document.body || origin.closest('[role="menu"]') !== null;
  const direct = !fromMenu && origin instanceof HTMLElement ? origin : null;
  return () => {
    if (direct?.isConnected) return direct;
    if (contactKey !== null) {
      const trigger = document.querySelector<HTMLElement>(`[data-testid="contact-row"][data-public-key="${contactKey}"] [data-testid="contact-actions"]`);
      if (trigger !== null) return trigger;
    }
    return document.querySelector<HTMLElement>('[data-testid="open-add-contact"]');
  };
}

/** A Radix onCloseAutoFocus handler that focuses `target()` instead of the default. */
export function returnFocusTo(target: () => HTMLElement | null): (event: Event) => void {
  return (event) => {
    const element = target();
    if (element === null) return;
    event.preventDefault();
    element.focus();
  };
}
