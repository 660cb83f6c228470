import { RequestErrorNotice } from './Notices'

type Props = { count: number; noun: string; hasMore: boolean; loadingMore: boolean; error: unknown; onMore: () => void }

/** Under a paged list: how many are shown, and "Load more" while the server has more. */
export function LoadMore({ count, noun, hasMore, loadingMore, error, onMore }: Props) {
  return (
    <div className="load-more">
      <span className="muted small" aria-live="polite">
        {count} {noun}
        {count === 1 ? '' : 's'} loaded{hasMore ? '' : ' · that is all'}
      </span>
      {hasMore && (
        <button type="button" className="button secondary small" disabled={loadingMore} onClick={onMore}>
          {loadingMore && <span className="spinner" aria-hidden="true" />}
          {loadingMore ? 'Loading…' : 'Load more'}
        </button>
      )}
      {error !== null && <RequestErrorNotice error={error} />}
    </div>
  )
}
