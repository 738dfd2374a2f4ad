import { json, type LoaderFunctionArgs } from "@remix-run/server-runtime";
import { Form, useLoaderData, type MetaFunction } from "@remix-run/react";
import { activityInScope, parseActivityQuery } from "../core/audit/activity-query";
import { ActivityTable } from "../ui/admin/activity-table";
import { Pager } from "../ui/pager";
import { requireStaff } from "../web/require-staff.server";

export const meta: MetaFunction = () => [{ title: "Activity · Client Updater" }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { permission: "activity:read" });
  args.context.app.state.route = "admin-activity";
  const url = new URL(args.request.url);
  const params = Object.fromEntries(url.searchParams);
  const parsed = parseActivityQuery(url.searchParams);
  if (!parsed.ok) return json({ error: parsed.message, params, list: null }, { status: 400 });
  return json({ error: null, params, list: await activityInScope(args.context.app, staff.scope, parsed.query) });
}

export default function ActivityScreen() {
  const { error, params, list } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Activity</h1>
      <Form method="get" className="card filters" role="search">
        <div><label htmlFor="a-user">User (email or id)</label><input id="a-user" type="search" name="user" defaultValue={params.user ?? ""} /></div>
        <div><label htmlFor="a-action">Action (e.g. auth.login_failed)</label><input id="a-action" type="search" name="action" defaultValue={params.action ?? ""} /></div>
        <div><label htmlFor="a-from">From</label><input id="a-from" type="date" name="from" defaultValue={params.from ?? ""} /></div>
        <div><label htmlFor="a-to">To</label><input id="a-to" type="date" name="to" defaultValue={params.to ?? ""} /></div>
        <div><button type="submit">Filter</button></div>
      </Form>
      {error ? <p className="banner error" role="alert" data-testid="filter-error">{error}</p> : null}
      {list ? (<><ActivityTable entries={list.rows} /><Pager page={list.page} pages={list.pages} total={list.total} noun="entries" /></>) : null}
    </>
  );
}
