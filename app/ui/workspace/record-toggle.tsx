import { Link } from '@remix-run/react';

/**
 * A row's "Record" control (decision 086): the quick form is rendered for one row at a time, on
 * demand. Without JavaScript it is a link to the same list with `edit=<clientId>` (the server renders
 * that row's form); with JavaScript it opens the form in place, with no request.
 */
export function RecordToggle(props: { clientId: number; clientName: string; href: string; onOpen: (clientId: number) => void }) {
  return (
    <Link
      to={props.href}
      preventScrollReset
      className="record"
      aria-label={`Record status of ${props.clientName}`}
      onClick={(event) => {
        if (event.metaKey || event.ctrlKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        props.onOpen(props.clientId);
      }}
    >
      Record
    </Link>
  );
}

/** The list's address with `edit` set to a row (or removed): the no-JavaScript way to open a row's form. */
export function withEditing(here: string, clientId: number | null): string {
  const [path, query = ''] = here.split('?');
  const params = new URLSearchParams(query);
  if (clientId === null) params.delete('edit');
  else params.set('edit', String(clientId));
  const search = params.toString();
  return search ? `${path}?${search}` : path;
}
