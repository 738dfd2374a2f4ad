import type { HeadersFunction, LinksFunction, LoaderFunctionArgs } from '@remix-run/server-runtime';
import { json } from '@remix-run/server-runtime';
import { Form, Link, Links, Meta, Outlet, Scripts, ScrollRestoration, useLoaderData, useMatches, useRouteError, useRouteLoaderData } from '@remix-run/react';
import stylesHref from './styles/app.css';
import { FlashToast } from './ui/flash-toast';
import { GeneralErrorBoundary, errorPageFor } from './ui/general-error-boundary';
import { useNonce } from './ui/nonce';
import { useTraceId } from './ui/trace-reference';
import { clearedFlashCookie, readFlash } from './web/flash.server';
import type { Flash } from './core/forms/form-reply';
import { optionalStaff, requestAccess, workspaceCompanies } from './web/require-staff.server';
import { waitingForReader } from './core/approvals/list-requests.server';
import { CHECKER_PERMISSIONS } from './core/approvals/handlers.server';

export const links: LinksFunction = () => [
  { rel: 'stylesheet', href: stylesHref },
  { rel: 'icon', href: '/favicon.svg', type: 'image/svg+xml' },
];

// Remix keeps only Set-Cookie from a thrown response unless a route says otherwise: keep the wait time.
export const headers: HeadersFunction = ({ errorHeaders }) => {
  const out = new Headers();
  const retryAfter = errorHeaders?.get('Retry-After');
  if (retryAfter) out.set('Retry-After', retryAfter);
  return out;
};

export async function loader(args: LoaderFunctionArgs) {
  // The flash of a post/redirect/get is read once here and cleared in the same answer (decision 085).
  const { flash, present } = readFlash(args.context.app, args.request);
  const init = present ? { headers: { 'Set-Cookie': clearedFlashCookie(args.context.app) } } : undefined;
  const staff = await optionalStaff(args);
  if (!staff) return json({ user: null, flash }, init);
  // The same access the route's gate uses: loaded once per request (requestAccess).
  const access = staff.user.mustChangePassword ? null : await requestAccess(args, staff.user.id);
  const codes = access ? access.permissionCodes() : [];
  const workspaces = access?.can('status:read') ? await workspaceCompanies(args, access) : [];
  // Maker-checker (decision 101): how many requests wait for this admin's decision.
  const approver = Boolean(access && CHECKER_PERMISSIONS.some((p) => access.can(p)));
  const approvals = approver && access ? await waitingForReader(args.context.app, access, staff.user.id) : 0;
  return json({ user: { fullName: staff.user.fullName, email: staff.user.email, permissions: codes, workspaces, approvals, approver }, flash }, init);
}

/**
 * A route whose handle says `hydrate: false` is served without any JavaScript (the sign-in page: a
 * plain form on the first visit of a phone with nothing cached; decision 081).
 */
function useHydrate(): boolean {
  return useMatches().every((m) => (m.handle as { hydrate?: boolean } | undefined)?.hydrate !== false);
}

function Document({ children, title }: { children: React.ReactNode; title?: string }) {
  const nonce = useNonce();
  const hydrate = useHydrate();
  const traceId = useTraceId();
  return (
    <html lang="en">
      <head>
        <meta charSet="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        {title ? <title>{title}</title> : null}
        {traceId ? <meta name="trace-id" content={traceId} /> : null}
        <Meta />
        <Links />
      </head>
      <body>
        {children}
        {hydrate ? <ScrollRestoration nonce={nonce} /> : null}
        {hydrate ? <Scripts nonce={nonce} /> : null}
      </body>
    </html>
  );
}

type NavUser = { fullName: string; email: string; permissions: string[]; workspaces: string[]; approvals: number; approver: boolean };

function TopBar({ user }: { user: NavUser | null }) {
  const can = (code: string) => Boolean(user?.permissions.includes(code));
  return (
    <header className="top">
      <Link to="/">Client Updater</Link>
      {user ? (
        <>
          <nav aria-label="Main">
            {can('reports:read') ? <Link to="/">Dashboard</Link> : null}
            {can('reports:read') ? <Link to="/reports">Performance</Link> : null}
            {user.workspaces.map((code) => (
              <Link key={code} to={`/workspace/${code.toLowerCase()}`}>
                {code}
              </Link>
            ))}
            {can('clients:read') ? <Link to="/clients">Clients</Link> : null}
            {can('areas:read') ? <Link to="/areas">Areas</Link> : null}
            {can('branches:read') ? <Link to="/branches">Branches</Link> : null}
            {can('users:read') ? <Link to="/admin/users">Users</Link> : null}
            {user.approver ? (
              <Link to="/admin/approvals" data-testid="nav-approvals">
                Approvals{user.approvals ? ` (${user.approvals})` : ''}
              </Link>
            ) : null}
            {can('activity:read') ? <Link to="/admin/activity">Activity</Link> : null}
            {can('config:read') ? <Link to="/admin/config">Config</Link> : null}
            {can('config:read') ? <Link to="/admin/audit">Audit</Link> : null}
            {can('config:manage') ? <Link to="/admin/periods">Periods</Link> : null}
            {can('sync:read') ? <Link to="/admin/sync">Sync</Link> : null}
            {can('sync:read') ? <Link to="/admin/jobs">Jobs</Link> : null}
            <Link to="/account/sessions">My sessions</Link>
            <Link to="/status">Status</Link>
          </nav>
          <div className="who">
            <Link to="/account/password" data-testid="current-user" title="Change password">
              {user.fullName}
            </Link>
            <Form method="post" action="/logout">
              <button type="submit">Log out</button>
            </Form>
          </div>
        </>
      ) : null}
    </header>
  );
}

export default function App() {
  const { user, flash } = useLoaderData<typeof loader>();
  return (
    <Document>
      <TopBar user={user} />
      <main>
        <FlashToast flash={flash as Flash | null} />
        <Outlet />
      </main>
    </Document>
  );
}

/** Errors of the root loader itself (unknown URLs go to the splat route $.tsx): the same page in the same Document and TopBar. */
export function ErrorBoundary() {
  const page = errorPageFor(useRouteError());
  const data = useRouteLoaderData<typeof loader>('root');
  return (
    <Document title={`${page.title} · Client Updater`}>
      <TopBar user={data?.user ?? null} />
      <main>
        <GeneralErrorBoundary />
      </main>
    </Document>
  );
}
