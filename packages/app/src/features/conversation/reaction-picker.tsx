import * as Menu from '@radix-ui/react-dropdown-menu';
import { SmilePlus } from 'lucide-react';

/** A few reactions at hand (MSG-03); each is one emoji the bridge accepts. */
export const QUICK_REACTIONS = ['👍', '❤️', '😂', '😮', '😢', '🎉', '👀', '🙏'] as const;

/** MSG-03: a small emoji picker; choosing one toggles the own reaction. */
export function ReactionPicker({ onPick, className = '' }: { onPick(emoji: string): void; className?: string }) {
  return (
    <Menu.Root>
      <Menu.Trigger aria-label="Add a reaction" data-testid="message-react" className={`rounded p-1 text-muted hover:bg-hover hover:text-strong ${className}`}>
        <SmilePlus size={16} aria-hidden="true" />
      </Menu.Trigger>
      <Menu.Portal>
        <Menu.Content align="end" data-testid="reaction-picker" className="z-50 grid grid-cols-4 gap-1 rounded-md border border-line bg-panel p-1.5 shadow-xl">
          {QUICK_REACTIONS.map((emoji) => (
            <Menu.Item
              key={emoji}
              aria-label={`React with ${emoji}`}
              data-testid="reaction-choice"
              data-emoji={emoji}
              onSelect={() => onPick(emoji)}
              className="flex h-8 w-8 cursor-pointer items-center justify-center rounded text-lg outline-none data-[highlighted]:bg-hover"
            >
              {emoji}
            </Menu.Item>
          ))}
        </Menu.Content>
      </Menu.Portal>
    </Menu.Root>
  );
}
