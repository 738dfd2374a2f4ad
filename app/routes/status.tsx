import { json, type HeadersFunction, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import type { MetaFunction } from '@remix-run/react';
import { useLoaderData } from '@remix-run/react';
import { systemHealth } from '../core/health/system-health.server';
import { ServiceStatus } from '../ui/jobs/service-status';
import { requirePublicLimit } from '../web/public-limit.server';
import { readSessionToken } from '../web/session-cookie.server';

export const meta: MetaFunction = () => [{ title: 'System status · Client Updater' }];

// Signed out, the page is the same for everyone: a few seconds of shared caching is fine. Signed in,
// the layout around it names the user and their permissions, so that variant is private (and every
// answer varies by Cookie, so a shared cache never hands one person's page to another). Not for an
// error page (a 429 is one client's): this route renders its own boundary, so its headers decide.
export const headers: HeadersFunction = ({ loaderHeaders, errorHeaders }) => ({
  'Cache-Control': errorHeaders ? 'private, no-store' : (loaderHeaders.get('Cache-Control') ?? 'private, no-store'),
  Vary: 'Cookie',
});

export async function loader(args: LoaderFunctionArgs) {
  await requirePublicLimit(args);
  args.context.app.state.route = 'status';
  const health = await systemHealth(args.context.app);
  const signedIn = readSessionToken(args.context.app, args.request) !== null;
  return json(health, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': signedIn ? 'private, no-store' : 'public, max-age=5', Vary: 'Cookie' } });
}

function Row({ name, ok, detail }: { name: string; ok: boolean; detail: string }) {
  return (
    <tr data-testid={`status-${name.toLowerCase()}`}>
      <td>{name}</td>
      <td className={ok ? 'ok' : 'bad'}>{ok ? 'Operational' : 'Unavailable'}</td>
      <td className="muted">{detail}</td>
    </tr>
  );
}

export default function StatusPage() {
  const h = useLoaderData<typeof loader>();
  return (
    <>
      <h1 data-testid="status-overall">{h.ok ? 'All systems operational' : 'Some systems are unavailable'}</h1>
      <table>
        <thead>
          <tr>
            <th>Part</th>
            <th>State</th>
            <th>Detail</th>
          </tr>
        </thead>
        <tbody>
          <Row name="Database" ok={h.database.ok} detail={`${h.database.latencyMs} ms`} />
          <Row name="Cache" ok={h.cache.ok} detail={`${h.cache.kind}, ${h.cache.latencyMs} ms`} />
        </tbody>
      </table>
      <ServiceStatus service={h.service} />
      <p className="muted">
        Version {h.version} · host {h.host} · migration {h.migration ?? 'none'}
        {h.migrationCurrent ? '' : ' (not the latest)'} · checked {h.checkedAt}
      </p>
    </>
  );
}

export { GeneralErrorBoundary as ErrorBoundary } from '../ui/general-error-boundary';
