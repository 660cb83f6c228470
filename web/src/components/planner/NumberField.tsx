import { useId } from 'react'
import { shortLabel } from '../../lib/plannerForm'
import { parseAmount } from '../../lib/portfolio'

type Props = {
  label: string
  hint: string
  value: string
  error: string | undefined
  onChange: (value: string) => void
  show: (value: number) => string
  placeholder?: string
}

/** A labelled number input that accepts "250M"-style amounts and says what it read. */
export function NumberField({ label, hint, value, error, onChange, show, placeholder }: Props) {
  const id = useId()
  const parsed = value.trim() === '' ? null : parseAmount(value)
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={value}
        placeholder={placeholder}
        aria-invalid={error ? true : undefined}
        aria-describedby={`${id}-hint`}
        onChange={(e) => onChange(e.target.value)}
      />
      {error ? (
        <span className="field-error" id={`${id}-hint`}>
          {shortLabel(label)} {error}.
        </span>
      ) : (
        <span className="hint" id={`${id}-hint`}>
          {parsed !== null ? `= ${show(parsed)} · ` : ''}
          {hint}
        </span>
      )}
    </div>
  )
}
