import { SEARCH_QUERY_MAX } from '@/app/_lib/limits';

/**
 * A search box: a plain GET form to /search, so it works without JavaScript. `article` scopes it
 * to one discussion. The query comes first in the form, so the address it makes is already the
 * canonical one (app/_lib/search/query.ts searchHref) and needs no redirect.
 */
export function SearchForm({
  name,
  label,
  id,
  defaultValue,
  article,
  showLabel = false,
  placeholder,
  className,
}: {
  /** The search landmark's name ("Site search", "Search this discussion"). */
  name: string;
  /** The box's label. */
  label: string;
  id: string;
  defaultValue?: string;
  article?: string;
  showLabel?: boolean;
  placeholder?: string;
  className?: string;
}) {
  return (
    <form role="search" aria-label={name} action="/search" method="get" className={`search-form ${className ?? ''}`.trim()}>
      <label htmlFor={id} className={showLabel ? 'search-form__label' : 'visually-hidden'}>
        {label}
      </label>
      <span className="search-form__row">
        <input
          id={id}
          type="search"
          name="q"
          defaultValue={defaultValue}
          placeholder={placeholder}
          maxLength={SEARCH_QUERY_MAX}
          autoComplete="off"
          enterKeyHint="search"
          className="search-form__input"
        />
        {article ? <input type="hidden" name="article" value={article} /> : null}
        <button type="submit" className="button search-form__button">
          Search
        </button>
      </span>
    </form>
  );
}
