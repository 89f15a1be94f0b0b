import type { ReactNode } from 'react';
import { useT } from '../i18n/useT';

export interface TitledTableProps {
  /** The heading's id: the section is labelled by it. */
  id?: string;
  title?: ReactNode;
  heading?: 'h2' | 'h3';
  /** Controls on the title's line (a toolbar: title, spacer, tools); alone when there is no title. */
  tools?: ReactNode;
  caption?: ReactNode;
  headers: ReactNode[];
  /** When true, `emptyText` (default "none") stands in for the table. */
  empty?: boolean;
  emptyText?: ReactNode;
  /** The section's class (e.g. `card`, `stack`). */
  className?: string;
  /** The table's data-testid. */
  testId?: string;
  /** Shown after the table, inside the section (an error line, a dialog, a "load more" button). */
  after?: ReactNode;
  /** The rows (`<tr>`s). */
  children: ReactNode;
}

/**
 * The one table scaffold of every screen: a section with an optional title line (heading and
 * tools), then a `table.grid` with its header row — or one muted line when there are no rows.
 */
export function TitledTable({
  id,
  title,
  heading = 'h3',
  tools,
  caption,
  headers,
  empty = false,
  emptyText,
  className,
  testId,
  after,
  children,
}: TitledTableProps) {
  const t = useT();
  const Heading = heading;
  const titleLine = title !== undefined && <Heading id={id}>{title}</Heading>;
  return (
    <section aria-labelledby={title !== undefined ? id : undefined} className={className}>
      {tools !== undefined ? (
        <div className="toolbar">
          {titleLine}
          {titleLine && <span className="spacer" />}
          {tools}
        </div>
      ) : (
        titleLine
      )}
      {empty ? (
        <p className="muted">{emptyText ?? t('common.none')}</p>
      ) : (
        <table className="grid" data-testid={testId}>
          {caption !== undefined && <caption className="muted">{caption}</caption>}
          <thead>
            <tr>
              {headers.map((h, i) => (
                <th key={i}>{h}</th>
              ))}
            </tr>
          </thead>
          <tbody>{children}</tbody>
        </table>
      )}
      {after}
    </section>
  );
}
