import { forwardRef, type InputHTMLAttributes, type ReactNode, useId } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'id'> {
  label: string;
  /** Shown under the field in red; marks the field invalid. */
  error?: string | null;
  /** Shown under the field when there is no error. */
  hint?: ReactNode;
}

/** A labelled input whose error and hint are announced with it (aria-describedby). */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, error = null, hint, className = '', ...rest },
  ref,
) {
  const id = useId();
  const messageId = `${id}-message`;
  const hasMessage = error !== null || hint !== undefined;
  return (
    <div className="flex flex-col gap-1.5">
      <label htmlFor={id} className="text-xs font-bold uppercase tracking-wide text-muted">
        {label}
      </label>
      <input
        ref={ref}
        id={id}
        aria-invalid={error !== null || undefined}
        aria-describedby={hasMessage ? messageId : undefined}
        className={`w-full rounded border bg-input px-3 py-2 text-sm text-strong placeholder:text-muted focus:outline-none focus-visible:ring-2 focus-visible:ring-accent ${
          error !== null ? 'border-danger' : 'border-transparent'
        } ${className}`}
        {...rest}
      />
      {error !== null ? (
        <p id={messageId} role="alert" className="text-xs text-danger">
          {error}
        </p>
      ) : hint !== undefined ? (
        <div id={messageId} className="text-xs text-muted">
          {hint}
        </div>
      ) : null}
    </div>
  );
});
