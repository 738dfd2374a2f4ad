/**
 * A row's "Record" control (decision 086): the quick form is rendered for one row at a time, on
 * demand. Without JavaScript it is a plain link to the same list with `edit=<clientId>` (the server
 * renders that row's form); with JavaScript the table's one click handler (useRowLinks) opens the
 * form in place, with no request. A plain <a>, not a router <Link>: a 100-row list hydrates 100 of
 * them, and each Link costs several router hooks.
 */
export function RecordToggle(props: { clientId: number; clientName: string; href: string }) {
  return (
    <a href={props.href} className="record" data-record={props.clientId} aria-label={`Record status of ${props.clientName}`}>
      Record
    </a>
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
