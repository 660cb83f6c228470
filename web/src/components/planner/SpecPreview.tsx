import { useId, useMemo, type ReactNode } from 'react'
import type { Asset, AssetType, FieldProvenance, Objective, SpecFieldSource } from '../../api/types'
import { ASSET_TYPE_LABELS, OBJECTIVE_LABELS, SOURCE_LABELS, readable } from '../../lib/labels'
import { parseAmount } from '../../lib/portfolio'
import {
  FIELD_HINTS,
  NUMERIC_SPEC_FIELDS,
  SPEC_GROUPS,
  draftValue,
  editNumber,
  editValue,
  fieldSource,
  plannedValue,
  provenanceNote,
  shownValue,
  sourceCounts,
  specLabel,
  type ListSpecPath,
  type NumericSpecPath,
  type SpecDraft,
  type SpecPath,
} from '../../lib/spec'
import { PickList, type PickOption } from './PickList'

const ASSET_TYPES = Object.keys(ASSET_TYPE_LABELS) as AssetType[]
const SOURCES: SpecFieldSource[] = ['brief', 'default', 'portfolio', 'user_override']
const SOURCE_TONES: Record<SpecFieldSource, string> = { brief: 'source-brief', default: 'source-default', user_override: 'source-override', portfolio: 'source-portfolio' }
const SOURCE_MEANINGS: Record<SpecFieldSource, string> = {
  brief: 'read from the brief',
  default: 'a planner default: the brief did not say',
  portfolio: 'derived from the portfolio',
  user_override: 'set by you',
}

type Props = {
  draft: SpecDraft
  errors: Partial<Record<SpecPath, string>>
  /** The brief or the inputs changed since the preview. */
  stale: boolean
  assets: Asset[]
  onChange: (update: (draft: SpecDraft) => SpecDraft) => void
  onReplan: () => void
  /** The run and discard buttons, and the feedback of a run. */
  children: ReactNode
}

/** The spec the planner proposes, every field editable and marked with where it came from. */
export function SpecPreview({ draft, errors, stale, assets, onChange, onReplan, children }: Props) {
  const counts = sourceCounts(draft)
  const warnings = draft.preview.warnings
  return (
    <section className="panel spec-panel" id="spec-preview" aria-labelledby="spec-title">
      <div className="panel-header">
        <div>
          <h2 id="spec-title" tabIndex={-1}>
            Spec to run
          </h2>
          <p>The planner's reading of the brief. Check each field against what you meant, edit what is wrong, then run this spec exactly.</p>
        </div>
        <ul className="source-legend" aria-label="Where the fields come from">
          {SOURCES.map((source) => (
            <li key={source} title={`${SOURCE_LABELS[source]}: ${SOURCE_MEANINGS[source]}`}>
              <SourceBadge source={source} /> <span className="num">{counts[source]}</span>
              <span className="visually-hidden"> {counts[source] === 1 ? 'field' : 'fields'}</span>
            </li>
          ))}
        </ul>
      </div>
      {warnings.length > 0 && (
        <div className="notice notice-warn spec-warnings" role="status">
          <h3>
            The planner could not read {warnings.length === 1 ? 'one part' : `${warnings.length} parts`} of the brief. Check the fields below.
          </h3>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>{readable(w)}</li>
            ))}
          </ul>
        </div>
      )}
      {stale && (
        <div className="notice notice-info spec-stale" role="status">
          <p>
            The brief, the portfolio, the company or the overrides changed since this preview.{' '}
            <button type="button" className="link-button" onClick={onReplan}>
              Preview again
            </button>{' '}
            to re-plan from them, or run this spec as it stands.
          </p>
        </div>
      )}
      <div className="spec-groups">
        {SPEC_GROUPS.map((group) => (
          <fieldset key={group.title} className="spec-group">
            <legend>{group.title}</legend>
            <p className="hint">{group.note}</p>
            <div className="spec-fields">
              {group.paths.map((path) => (
                <SpecField key={path} path={path} draft={draft} error={errors[path]} assets={assets} onChange={onChange} />
              ))}
            </div>
          </fieldset>
        ))}
      </div>
      <div className="spec-actions">{children}</div>
    </section>
  )
}

export function SourceBadge({ source, note }: { source: SpecFieldSource | null; note?: string | null }) {
  if (source === null) {
    return <span className="badge badge-source source-unset">Not set</span>
  }
  return (
    <span className={`badge badge-source ${SOURCE_TONES[source]}`} title={note ? `${SOURCE_MEANINGS[source]} · ${note}` : SOURCE_MEANINGS[source]}>
      {SOURCE_LABELS[source]}
    </span>
  )
}

type FieldProps = {
  path: SpecPath
  draft: SpecDraft
  error: string | undefined
  assets: Asset[]
  onChange: (update: (draft: SpecDraft) => SpecDraft) => void
}

function SpecField({ path, draft, error, assets, onChange }: FieldProps) {
  const id = useId()
  const label = specLabel(path)
  const provenance = fieldSource(draft, path)
  const edited = draft.edited.includes(path)
  const note = provenance ? provenanceNote(provenance) : null
  const hintId = `${id}-hint`
  const numeric = path in NUMERIC_SPEC_FIELDS ? NUMERIC_SPEC_FIELDS[path as NumericSpecPath] : null

  let control: ReactNode
  let echo = ''
  if (numeric) {
    const text = draft.text[path as NumericSpecPath]
    const parsed = text.trim() === '' ? null : parseAmount(text)
    if (parsed !== null && !error) echo = `= ${shownValue(numeric.unit, parsed)}`
    control = (
      <input
        id={id}
        type="text"
        inputMode="decimal"
        value={text}
        placeholder={numeric.required ? '' : path.startsWith('hard_constraints') ? 'Not enforced' : path.startsWith('asset_filters') ? 'No filter' : 'Not set'}
        title={numeric.hint}
        aria-invalid={error ? true : undefined}
        aria-describedby={hintId}
        onChange={(e) => onChange((d) => editNumber(d, path as NumericSpecPath, e.target.value))}
      />
    )
  } else if (path === 'objective') {
    control = (
      <select id={id} value={draftValue<Objective>(draft, 'objective')} aria-describedby={hintId} onChange={(e) => onChange((d) => editValue(d, 'objective', e.target.value as Objective))}>
        {(Object.keys(OBJECTIVE_LABELS) as Objective[]).map((o) => (
          <option key={o} value={o}>
            {OBJECTIVE_LABELS[o]}
          </option>
        ))}
      </select>
    )
  } else if (path === 'soft_preferences.prefer_low_criticality' || path === 'soft_preferences.prefer_high_leaseability') {
    control = (
      <label className="check">
        <input type="checkbox" id={id} checked={draftValue<boolean>(draft, path)} aria-describedby={hintId} onChange={(e) => onChange((d) => editValue(d, path, e.target.checked))} />
        Yes
      </label>
    )
  } else if (path === 'asset_filters.include_asset_types' || path === 'asset_filters.exclude_asset_types') {
    control = <TypeChecks path={path} labelledBy={`${id}-label`} describedBy={hintId} draft={draft} onChange={onChange} />
  } else {
    control = <ListPicker path={path as ListSpecPath} labelledBy={`${id}-label`} describedBy={hintId} invalid={Boolean(error)} draft={draft} assets={assets} onChange={onChange} />
  }

  const grouped = !numeric && path !== 'objective' && !path.startsWith('soft_preferences.prefer')
  return (
    <div className={`spec-field${WIDE.has(path) ? ' spec-field-wide' : ''}${edited ? ' spec-field-edited' : ''}${error ? ' spec-field-error' : ''}`} data-field={path}>
      <div className="spec-field-head">
        {grouped ? (
          <span className="label" id={`${id}-label`}>
            {label}
          </span>
        ) : (
          <label htmlFor={id} id={`${id}-label`}>
            {label}
          </label>
        )}
        <SourceBadge source={provenance?.source ?? null} note={note} />
      </div>
      {control}
      {error ? (
        <span className="field-error" id={hintId}>
          {label} {error}.
        </span>
      ) : (
        <span className="hint" id={hintId}>
          <span className="visually-hidden">Source: {provenance ? SOURCE_LABELS[provenance.source] : 'not set'}. </span>
          {echo && `${echo} · `}
          {edited && numeric ? `Edited here; planned ${plannedValue(draft, path as NumericSpecPath)}${originalSource(draft, path)} · ${numeric.hint}` : captionOf(provenance, note, numeric?.hint ?? FIELD_HINTS[path])}
        </span>
      )}
    </div>
  )
}

/** The caption under a field: the source's note when there is one, else what the field means. */
function captionOf(provenance: FieldProvenance | null, note: string | null, hint: string | undefined): string {
  if (provenance?.source === 'user_override' && note === 'Edited here') return hint ? `Edited here · ${hint}` : 'Edited here'
  if (note) return note
  return hint ?? (provenance ? `${SOURCE_LABELS[provenance.source]}: ${SOURCE_MEANINGS[provenance.source]}` : 'Not set')
}

/** " from the brief" / " by default": where the planned value of an edited field came from. */
function originalSource(draft: SpecDraft, path: SpecPath): string {
  const source = draft.preview.provenance.find((p) => p.field === path)?.source
  if (source === 'brief') return ' from the brief'
  if (source === 'default') return ' by default'
  if (source === 'portfolio') return ' from the portfolio'
  if (source === 'user_override') return ' by your override'
  return ''
}

/** Fields that need a row's width (lists of choices). */
const WIDE = new Set<SpecPath>(['asset_filters.include_asset_types', 'asset_filters.exclude_asset_types', 'asset_filters.exclude_markets', 'asset_filters.exclude_asset_ids', 'asset_filters.include_asset_ids'])

function TypeChecks({ path, labelledBy, describedBy, draft, onChange }: { path: 'asset_filters.include_asset_types' | 'asset_filters.exclude_asset_types'; labelledBy: string; describedBy: string; draft: SpecDraft; onChange: FieldProps['onChange'] }) {
  const selected = draftValue<AssetType[] | null>(draft, path) ?? []
  const toggle = (type: AssetType, on: boolean) =>
    onChange((d) => {
      const current = draftValue<AssetType[] | null>(d, path) ?? []
      const next = on ? ASSET_TYPES.filter((t) => t === type || current.includes(t)) : current.filter((t) => t !== type)
      return editValue(d, path, next)
    })
  return (
    <div className="type-checks" role="group" aria-labelledby={labelledBy} aria-describedby={describedBy}>
      {ASSET_TYPES.map((type) => (
        <label key={type} className="check">
          <input type="checkbox" checked={selected.includes(type)} onChange={(e) => toggle(type, e.target.checked)} />
          {ASSET_TYPE_LABELS[type]}
        </label>
      ))}
    </div>
  )
}

function ListPicker({ path, labelledBy, describedBy, invalid, draft, assets, onChange }: { path: ListSpecPath; labelledBy: string; describedBy: string; invalid: boolean; draft: SpecDraft; assets: Asset[]; onChange: FieldProps['onChange'] }) {
  const markets = path === 'asset_filters.exclude_markets'
  const options = useMemo<PickOption[]>(() => {
    if (markets) {
      const counts = new Map<string, number>()
      for (const a of assets) counts.set(a.market, (counts.get(a.market) ?? 0) + 1)
      return [...counts].sort(([a], [b]) => a.localeCompare(b)).map(([market, n]) => ({ value: market, label: market, detail: `${n} asset${n === 1 ? '' : 's'}` }))
    }
    return assets.map((a) => ({ value: a.asset_id, label: a.name ? `${a.name} (${a.asset_id})` : a.asset_id, detail: `${ASSET_TYPE_LABELS[a.asset_type]}, ${a.market}` }))
  }, [assets, markets])
  return (
    <PickList
      labelledBy={labelledBy}
      describedBy={describedBy}
      invalid={invalid}
      noun={markets ? 'market' : 'asset'}
      addLabel={`Add to ${specLabel(path)}`}
      options={options}
      selected={draftValue<string[] | null>(draft, path) ?? []}
      placeholder={markets ? 'Type a market to add' : 'Type a name, ID or market to add'}
      onChange={(selected) => onChange((d) => editValue(d, path, selected))}
    />
  )
}
