import { Markdown, type MarkdownToJSX, RuleType } from 'markdown-to-jsx/react';
import { type AnchorHTMLAttributes, memo, type ReactNode, useState } from 'react';

/** Links that may open: the web and e-mail. Anything else shows as its text. */
const SAFE_LINK = /^(https?:|mailto:)/i;
const SPOILER = /\|\|(.+?)\|\|/g;

/** MSG-01: a link from a message opens outside the app window, without telling the site where it came from. */
function ExternalLink({ href, children }: AnchorHTMLAttributes<HTMLAnchorElement> & { children?: ReactNode }) {
  if (href === undefined || !SAFE_LINK.test(href)) return <span>{children}</span>;
  return (
    <a href={href} target="_blank" rel="noopener noreferrer" className="text-accent underline-offset-2 hover:underline" data-testid="message-link">
      {children}
    </a>
  );
}

/** `||hidden||`: covered until clicked (Discord's spoiler). */
function Spoiler({ children }: { children: ReactNode }) {
  const [shown, setShown] = useState(false);
  return (
    <button
      type="button"
      data-testid="message-spoiler"
      data-shown={shown}
      aria-label={shown ? undefined : 'Spoiler: click to show'}
      onClick={() => setShown(true)}
      className={`rounded px-0.5 ${shown ? 'bg-hover' : 'bg-strong text-transparent'}`}
    >
      <span aria-hidden={!shown}>{children}</span>
    </button>
  );
}

/** A remote image would tell its server the user's address: only its description is shown. */
function ImageAsText({ alt }: { alt?: string }) {
  return <span className="italic">{alt === undefined || alt === '' ? '[image]' : `[${alt}]`}</span>;
}

function Plain({ children }: { children?: ReactNode }) {
  return <p className="font-semibold">{children}</p>;
}

const OPTIONS: MarkdownToJSX.Options = {
  // NO raw HTML: `<b>` and `<script>` stay text.
  disableParsingRawHTML: true,
  ignoreHTMLBlocks: true,
  wrapper: 'div',
  forceWrapper: true,
  overrides: {
    a: ExternalLink,
    img: ImageAsText,
    h1: Plain,
    h2: Plain,
    h3: Plain,
    h4: Plain,
    h5: Plain,
    h6: Plain,
    pre: { props: { className: 'my-1 overflow-x-auto whitespace-pre rounded bg-panel p-2 font-mono text-xs' } },
    code: { props: { className: 'rounded bg-panel px-1 font-mono text-[0.85em]' } },
    p: { props: { className: 'whitespace-pre-wrap' } },
  },
  renderRule(next, node, _renderChildren, state) {
    if (node.type !== RuleType.text || !node.text.includes('||')) return next();
    const parts: ReactNode[] = [];
    let last = 0;
    for (const match of node.text.matchAll(SPOILER)) {
      parts.push(node.text.slice(last, match.index));
      parts.push(<Spoiler key={`${state.key}-${match.index}`}>{match[1]}</Spoiler>);
      last = match.index + match[0].length;
    }
    if (parts.length === 0) return next();
    parts.push(node.text.slice(last));
    return <span key={state.key}>{parts}</span>;
  },
};

/**
 * A message's text with a markdown subset (bold, italic, code, code blocks, links, spoilers)
 * rendered by markdown-to-jsx as React elements: never raw HTML, no remote images, links to the
 * web or e-mail only.
 */
export const MessageText = memo(function MessageText({ text }: { text: string }) {
  return (
    <div data-testid="message-text" className="break-words [&_p]:m-0">
      <Markdown options={OPTIONS}>{text}</Markdown>
    </div>
  );
});
