import { json, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import { systemHealth } from '../core/health/system-health.server';
import { requirePublicLimit } from '../web/public-limit.server';

/** Machine-readable status for monitors: 200 when healthy, 503 otherwise. */
export async function loader(args: LoaderFunctionArgs) {
  await requirePublicLimit(args);
  args.context.app.state.route = 'status.json';
  const health = await systemHealth(args.context.app);
  return json(health, { status: health.ok ? 200 : 503, headers: { 'Cache-Control': 'public, max-age=5' } });
}
