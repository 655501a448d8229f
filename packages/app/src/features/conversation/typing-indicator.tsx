/** MSG-01: "Alice is typing…" under the list while the contact types (the core expires it). */
export function TypingIndicator({ name, typing }: { name: string; typing: boolean }) {
  return (
    <div className="h-5 shrink-0 px-4 text-xs text-muted" aria-live="polite" data-testid="typing-indicator">
      {typing && (
        <span>
          <span className="font-semibold text-strong">{name}</span> is typing…
        </span>
      )}
    </div>
  );
}
