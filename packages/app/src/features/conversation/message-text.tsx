/**
 * A message's text as typed: line breaks kept, never interpreted as HTML (React escapes it).
 */
export function MessageText({ text }: { text: string }) {
  return (
    <span data-testid="message-text" className="whitespace-pre-wrap break-words">
      {text}
    </span>
  );
}
