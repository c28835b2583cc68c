// Runs in: renderer. The one text field (and the one select) of every form, so a field looks and
// reads the same in each dialog: a label tied to its control, an optional hint and an error message
// that the control names through aria-describedby, and the `field-input` class that styles it.
import {
  useId,
  type InputHTMLAttributes,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from 'react';
import './field.css';

interface FieldProps {
  label: ReactNode;
  /** What to type, shown under the control and read with it. */
  hint?: ReactNode;
  /** Why the value was refused; marks the control invalid. */
  error?: ReactNode;
  /** Classes on the wrapper, beside `form-field`. */
  className?: string;
}

/** The ids the control is described by: the caller's own, then the hint, then the error. */
function describedBy(own: string | undefined, hintId: string | null, errorId: string | null): string | undefined {
  const ids = [own, hintId, errorId].filter(Boolean).join(' ');
  return ids || undefined;
}

/** Wrapper, label, control, hint and error, in that order; `control` gets the ids it needs. */
function Field({
  label,
  hint,
  error,
  className,
  control,
  ownDescribedBy,
}: FieldProps & {
  control: (ids: { id: string; 'aria-describedby'?: string; 'aria-invalid'?: true }) => ReactNode;
  ownDescribedBy?: string;
}) {
  const id = useId();
  const hintId = hint ? `${id}-hint` : null;
  const errorId = error ? `${id}-error` : null;
  const described = describedBy(ownDescribedBy, hintId, errorId);
  return (
    <div className={`form-field${className ? ` ${className}` : ''}`}>
      <label htmlFor={id}>{label}</label>
      {control({
        id,
        ...(described ? { 'aria-describedby': described } : {}),
        ...(error ? { 'aria-invalid': true as const } : {}),
      })}
      {hint ? (
        <span id={hintId!} className="muted field-help">
          {hint}
        </span>
      ) : null}
      {error ? (
        <span id={errorId!} className="field-error" role="alert">
          {error}
        </span>
      ) : null}
    </div>
  );
}

type InputProps = FieldProps & Omit<InputHTMLAttributes<HTMLInputElement>, 'className' | 'id'>;

/** A one-line field: text, search, number, url… (`type`, default text). */
export function TextField({ label, hint, error, className, type = 'text', ...input }: InputProps) {
  const { 'aria-describedby': own, ...rest } = input;
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      className={className}
      ownDescribedBy={own}
      control={(ids) => <input type={type} {...rest} {...ids} className="field-input" />}
    />
  );
}

type AreaProps = FieldProps &
  Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, 'className' | 'id'> & { mono?: boolean };

/** A field of several lines; `mono` for code and JSON. */
export function TextAreaField({ label, hint, error, className, mono, ...area }: AreaProps) {
  const { 'aria-describedby': own, ...rest } = area;
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      className={className}
      ownDescribedBy={own}
      control={(ids) => <textarea {...rest} {...ids} className={`field-input${mono ? ' field-mono' : ''}`} />}
    />
  );
}

type SelectProps = FieldProps & Omit<SelectHTMLAttributes<HTMLSelectElement>, 'className' | 'id'>;

/** A choice among options, styled as the text fields are. */
export function SelectField({ label, hint, error, className, children, ...select }: SelectProps) {
  const { 'aria-describedby': own, ...rest } = select;
  return (
    <Field
      label={label}
      hint={hint}
      error={error}
      className={className}
      ownDescribedBy={own}
      control={(ids) => (
        <select {...rest} {...ids} className="field-input">
          {children}
        </select>
      )}
    />
  );
}
