import * as RadixDialog from '@radix-ui/react-dialog';
import { X } from 'lucide-react';
import type { ReactNode } from 'react';

export interface DialogProps {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  children: ReactNode;
  testId?: string;
  wide?: boolean;
  /** Where focus goes when the dialog closes (Radix's default is the trigger, which we rarely use). */
  onCloseAutoFocus?: (event: Event) => void;
}

/** A modal dialog: focus is trapped inside, Escape closes it, the title names it. */
export function Dialog({ open, onOpenChange, title, description, children, testId, wide = false, onCloseAutoFocus }: DialogProps) {
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/70" />
        <RadixDialog.Content
          data-testid={testId}
          onCloseAutoFocus={onCloseAutoFocus}
          className={`fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[92vw] -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg bg-base p-6 text-normal shadow-2xl ${
            wide ? 'max-w-2xl' : 'max-w-md'
          }`}
        >
          <RadixDialog.Title className="text-xl font-semibold text-strong">{title}</RadixDialog.Title>
          {description === undefined ? (
            <RadixDialog.Description className="sr-only">{title}</RadixDialog.Description>
          ) : (
            <RadixDialog.Description className="mt-1 text-sm text-muted">{description}</RadixDialog.Description>
          )}
          <div className="mt-4">{children}</div>
          <RadixDialog.Close asChild>
            <button type="button" aria-label="Close" className="absolute right-4 top-4 rounded p-1 text-muted hover:bg-hover hover:text-strong">
              <X size={20} aria-hidden="true" />
            </button>
          </RadixDialog.Close>
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
