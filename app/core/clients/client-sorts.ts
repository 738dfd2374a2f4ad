/** The sorts of the clients screen: the select's options in the browser, the allowed values on the server (list-query.server.ts). */
export const clientSorts = ['name', 'code', 'branch', 'pastDue'] as const;
