import { json, type LoaderFunctionArgs } from "@remix-run/server-runtime";
import type { MetaFunction } from "@remix-run/react";
import { Fragment } from "react";
import { Link, useLoaderData } from "@remix-run/react";
import { clientInScope, clientPeriods } from "../core/clients/client-detail";
import { periodLabel } from "../core/status/periods";
import { formatDateTime, formatPeso } from "../ui/format";
import { StatusBadge } from "../ui/status-badge";
import { notFound } from "../web/http-errors.server";
import { requireStaff } from "../web/require-staff.server";
import { idParam } from "../web/route-id";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.client.clientCode} · Client Updater` : "Client · Client Updater" },
];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { permission: "clients:read", limit: "read" });
  const ctx = args.context.app;
  ctx.state.route = "client-detail";
  const id = idParam(args.params.id);
  if (id === null) notFound();
  const client = await clientInScope(ctx, staff.scope, id);
  if (!client) notFound();
  const periods = await clientPeriods(ctx, id);
  return json({ client, periods });
}

export default function ClientDetail() {
  const { client, periods } = useLoaderData<typeof loader>();
  const facts: Array<[string, string]> = [
    ["Code", client.clientCode],
    ["Company", client.companyName],
    ["Product", `${client.productName} (${client.trackingCycle})`],
    ["Branch", `${client.branchCode} · ${client.branchName}`],
    ["Pension no.", client.pensionNumber ?? "—"],
    ["Pension type", client.pensionTypeName ?? "—"],
    ["Pensioner type", client.pensionerTypeName ?? "—"],
    ["Account type", client.accountTypeName ?? "—"],
    ["Birth date", client.birthDate ?? "—"],
    ["Contact", [client.contactNumber, client.contactNumberAlt].filter(Boolean).join(" / ") || "—"],
    ["PAR status", client.parName],
    ["Past due", formatPeso(client.pastDueCentavos)],
    ["Loan status", client.loanStatus ?? "—"],
    ["Active", client.isActive ? "Yes" : "No"],
    ["Last synced", formatDateTime(client.lastSyncedAt)],
  ];
  if (client.companyCode === "FCASH") {
    facts.push(["Tele status", client.teleStatus ?? "—"], ["Update status", client.updateStatus ?? "—"],
      ["Pointer", client.pointer ?? "—"], ["Month to update", client.monthToUpdate ?? "—"]);
  }
  return (
    <>
      <p><Link to="/clients">← Clients</Link></p>
      <h1 data-testid="client-name">{client.fullName}</h1>
      <section className="card">
        <dl className="facts">
          {facts.map(([k, v]) => (<Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>))}
        </dl>
      </section>
      <h2>Periods</h2>
      {periods.length === 0 ? <p className="muted">No period rows yet.</p> : (
        <table className="responsive">
          <thead><tr><th>Period</th><th>Status</th><th>Reason</th><th>Payment</th><th>Updates</th><th>Last update</th></tr></thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.id} data-testid="period-row">
                <td data-label="Period">{periodLabel({ type: p.periodType, year: p.periodYear, number: p.periodNumber })}</td>
                <td data-label="Status"><StatusBadge code={p.statusCode} name={p.statusName} />{p.isTerminal ? " (terminal)" : ""}</td>
                <td data-label="Reason">{p.reasonName ?? "—"}{p.remarks ? <div className="muted">{p.remarks}</div> : null}</td>
                <td data-label="Payment">{p.hasPayment ? "Yes" : "No"}</td>
                <td data-label="Updates">{p.updateCount}</td>
                <td data-label="Last update">{formatDateTime(p.lastUpdatedAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
