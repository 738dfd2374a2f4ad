import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from '@remix-run/server-runtime';
import type { MetaFunction } from '@remix-run/react';
import { Fragment } from 'react';
import { Link, useActionData, useLoaderData } from '@remix-run/react';
import { clientInScope, clientPeriods } from '../../core/clients/client-detail.server';
import { scopeIncludesBranch } from '../../core/access/scope.server';
import { periodHistory } from '../../core/status/period-history.server';
import { periodLabel, periodOf } from '../../core/status/periods';
import { statusLookups } from '../../core/status/status-lookups.server';
import { reasonsOf, workflowOf } from '../../core/status/workflow';
import { PeriodHistory } from '../../ui/status/period-history';
import { StatusForm, type StatusFormState } from '../../ui/status/status-form';
import { formatDateTime, formatPeso } from '../../ui/format';
import { StatusBadge } from '../../ui/status-badge';
import { ContactForm } from '../../ui/contact-form';
import { handleContactForm } from './contact.server';
import { badRequest, notFound } from '../../web/http-errors.server';
import { requireStaff } from '../../web/require-staff.server';
import { handleStatusForm } from './status.server';
import { reinstateData, telePanelData } from './panels.server';
import { handleReinstateForm, handleTeleForm, isTeleIntent } from './tele.server';
import { ReinstateForm } from '../../ui/status/reinstate-form';
import { TelePanel } from '../../ui/tele/tele-panel';
import type { TeleFormAnswer } from '../../ui/tele/tele-types';
import { replyFor, type FormReply } from '../../core/forms/form-reply';
import { idParam } from '../../web/route-id.server';
import { readRequestForm } from '../../web/form-protocol.server';
import { readSessionToken } from '../../web/session-cookie.server';
import { readStatusEarly } from '../../core/status/early-status-read.server';
import { statusFormSchema } from '../../core/status/status-form.server';
import { TraceReference } from '../../ui/trace-reference';
import { waitingForClient } from '../../core/approvals/waiting-for-client.server';
import { WaitingRequests, type WaitingItem } from '../../ui/status/waiting-requests';

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.client.clientCode} · Client Updater` : 'Client · Client Updater' }];

export async function loader(args: LoaderFunctionArgs) {
  const staff = await requireStaff(args, { route: 'client-detail', permission: 'clients:read', limit: 'read' });
  const ctx = args.context.app;
  const id = idParam(args.params.id);
  if (id === null) notFound();
  // Two steps of reads at the edge (decision 103): the client with the lookups, then everything about it at once.
  const [client, lookups] = await Promise.all([clientInScope(ctx, staff.scope, id), statusLookups(ctx)]);
  if (!client) notFound();
  const current = periodOf(client.trackingCycle, ctx.clock.now());
  const [updateScope, historyScope, contactScope] = ['status:update', 'status:history:read', 'clients:update'].map(staff.access.scope);
  const [periods, currentHistory, tele, reinstate, waitingRequests] = await Promise.all([
    clientPeriods(ctx, client, staff.access), // past periods follow the history scope
    historyScope ? periodHistory(ctx, historyScope, staff.user.id, id, current.key) : Promise.resolve([]),
    telePanelData(ctx, staff.access, client),
    reinstateData(ctx, staff.access, client),
    waitingForClient(ctx, client),
  ]);
  const row = periods.find((p) => p.periodKey === current.key) ?? null;
  const history = row ? currentHistory : [];
  const canEditContacts = Boolean(contactScope && scopeIncludesBranch(contactScope, client.companyId, client.branchId));
  const canUpdate = Boolean(row && updateScope && scopeIncludesBranch(updateScope, client.companyId, client.branchId));
  const statuses = workflowOf(lookups.statuses, client.companyId).map((s) => ({ ...s, name: lookups.names[s.id] }));
  const reasons = statuses.flatMap((s) => reasonsOf(lookups.reasons, s.id) as typeof lookups.reasons);
  const waiting: WaitingItem[] = waitingRequests.map((r) => ({
    id: r.id,
    what:
      r.action === 'status.reinstate'
        ? 'Reinstatement of the client'
        : `Status to ${statusNameOf(lookups, r.toStatus)}, ${periodLabelOf(periods, r.periodKey)}`,
    makerName: r.makerName,
    askedAt: r.askedAt.toISOString(),
    remark: r.remark,
  }));
  return json({
    client,
    periods,
    currentPeriod: { key: current.key, label: periodLabel(current) },
    row,
    canUpdate,
    canEditContacts,
    statuses,
    reasons,
    history,
    tele,
    reinstate,
    waiting,
  });
}

/** A status code's name (the code itself for one the lookups no longer hold). */
function statusNameOf(lookups: Awaited<ReturnType<typeof statusLookups>>, code: string | null): string {
  const status = lookups.statuses.find((s) => s.code === code);
  return status ? lookups.names[status.id] : (code ?? '?');
}

/** A period key's label from the client's own period rows (the key itself otherwise). */
function periodLabelOf(periods: Array<{ periodKey: string; periodType: string; periodYear: number; periodNumber: number }>, key: string | null): string {
  const p = periods.find((x) => x.periodKey === key);
  return p ? periodLabel({ type: p.periodType as 'monthly' | 'quarterly', year: p.periodYear, number: p.periodNumber }) : (key ?? '?');
}

const INTENT_PERMISSIONS: Record<string, string> = {
  status: 'status:update',
  contact: 'clients:update',
  'tele-status': 'status:update',
  'month-to-update': 'status:update',
  'nextbank-retry': 'status:update',
  reinstate: 'status:revert',
};

/**
 * Each intent asks its own permission at the gate (status and the FCASH tele intents → status:update,
 * contact → clients:update, reinstate → status:revert; decisions 040 and 042); an intent the page
 * does not have is 400 (after clients:read, the page's own).
 */
export async function action(args: ActionFunctionArgs) {
  const form = await readRequestForm(args.request);
  const intent = form.get('intent');
  const permission = (typeof intent === 'string' && Object.hasOwn(INTENT_PERMISSIONS, intent) ? INTENT_PERMISSIONS[intent] : null) ?? 'clients:read';
  // The status form's row and lookups are read beside the gate's session read (decision 109).
  const early = intent === 'status' ? statusFormSchema.shape.periodKey.safeParse(form.get('periodKey')) : null;
  const clientId = idParam(args.params.id);
  if (early?.success && clientId !== null) {
    void readStatusEarly(args.context.app, readSessionToken(args.context.app, args.request), { clientId, periodKey: early.data });
  }
  const staff = await requireStaff(args, { route: 'client-detail', permission, limit: 'write' });
  const ctx = args.context.app;
  if (permission === 'clients:read') badRequest('This page cannot do that.');
  const id = idParam(args.params.id);
  if (id === null) notFound();
  if (intent === 'contact') {
    return handleContactForm(ctx, { userId: staff.user.id, scope: staff.scope, userAgent: args.request.headers.get('user-agent') }, id, form);
  }
  if (isTeleIntent(intent)) return handleTeleForm(ctx, { userId: staff.user.id, scope: staff.scope }, intent, id, form);
  if (intent === 'reinstate') return handleReinstateForm(ctx, { userId: staff.user.id, scope: staff.scope }, id, form);
  const revertScope = staff.access.scope('status:revert');
  return handleStatusForm(ctx, { userId: staff.user.id, scope: staff.scope, revertScope }, id, form, `/clients/${id}`);
}

export default function ClientDetail() {
  const { client, periods, currentPeriod, row, canUpdate, canEditContacts, statuses, reasons, history, tele, reinstate, waiting } =
    useLoaderData<typeof loader>();
  // Every refusal is one FormReply; its intent says which form it belongs to (decision 085).
  const answer = replyFor(useActionData<typeof action>());
  const contactResult = answer?.intent === 'contact' ? answer : null;
  const teleAnswer = answer && TELE_FORMS.includes(answer.intent ?? '') ? (answer as TeleFormAnswer) : undefined;
  const result = answer?.intent === 'status' ? (answer as FormReply<StatusFormState>) : null;
  const statusConflict = result?.current ?? null;
  const facts: Array<[string, string]> = [
    ['Code', client.clientCode],
    ['Company', client.companyName],
    ['Product', `${client.productName} (${client.trackingCycle})`],
    ['Branch', `${client.branchCode} · ${client.branchName}`],
    ['Pension no.', client.pensionNumber ?? '—'],
    ['Pension type', client.pensionTypeName ?? '—'],
    ['Pensioner type', client.pensionerTypeName ?? '—'],
    ['Account type', client.accountTypeName ?? '—'],
    ['Birth date', client.birthDate ?? '—'],
    ['Contact', [client.contactNumber, client.contactNumberAlt].filter(Boolean).join(' / ') || '—'],
    ['PAR status', client.parName],
    ['Past due', formatPeso(client.pastDueCentavos)],
    ['Loan status', client.loanStatus ?? '—'],
    ['Active', client.isActive ? 'Yes' : 'No'],
    ['Last synced', formatDateTime(client.lastSyncedAt)],
  ];
  return (
    <>
      <p>
        <Link to="/clients">← Clients</Link>
      </p>
      <h1 data-testid="client-name">{client.fullName}</h1>
      <section className="card">
        <dl className="facts">
          {facts.map(([k, v]) => (
            <Fragment key={k}>
              <dt>{k}</dt>
              <dd>{v}</dd>
            </Fragment>
          ))}
        </dl>
      </section>
      {canEditContacts ? (
        <details open={Boolean(contactResult)}>
          <summary>Edit contact numbers</summary>
          <ContactForm
            action={`/clients/${client.id}`}
            current={client}
            errors={errorsOf(contactResult)}
            values={contactResult?.values as Record<string, string> | undefined}
          />
        </details>
      ) : null}
      {/* A refusal whose form is no longer on the page (e.g. reinstated meanwhile) still says why. */}
      {teleAnswer?.formError && (teleAnswer.intent === 'reinstate' ? !reinstate : !tele) ? (
        <p className="banner error" role="alert">
          {teleAnswer.formError}
        </p>
      ) : null}
      {tele ? <TelePanel action={`/clients/${client.id}`} client={client} panel={tele} answer={teleAnswer} /> : null}
      {reinstate ? (
        <ReinstateForm action={`/clients/${client.id}`} periods={reinstate.periods} answer={teleAnswer?.intent === 'reinstate' ? teleAnswer : undefined} />
      ) : null}
      {waiting.length ? <WaitingRequests items={waiting} /> : null}
      <h2>{currentPeriod.label}</h2>
      {statusConflict ? (
        <p className="banner error" role="alert" data-testid="conflict">
          Someone else updated this client while you were working: the form now shows the newer state. Check it, then save again if needed. <TraceReference />
        </p>
      ) : null}
      {result && !statusConflict && result.formError ? (
        <p className="banner error" role="alert">
          {result.formError}
        </p>
      ) : null}
      {!row ? <p className="muted">This client has no row for {currentPeriod.label} (not eligible, or not initialized yet).</p> : null}
      {row && canUpdate ? (
        <StatusForm
          action={`/clients/${client.id}`}
          periodKey={row.periodKey}
          statuses={statuses}
          reasons={reasons}
          key={`${row.version}-${statusConflict?.version ?? ''}`}
          current={
            statusConflict ?? {
              statusTypeId: row.statusTypeId,
              statusReasonId: row.statusReasonId,
              remarks: row.remarks,
              hasPayment: row.hasPayment,
              version: row.version,
            }
          }
          errors={result && !statusConflict ? result.fieldErrors : undefined}
          values={result && !statusConflict ? (result.values as Record<string, string>) : undefined}
        />
      ) : null}
      {history.length ? <PeriodHistory events={history} /> : null}
      <h2>Periods</h2>
      {periods.length === 0 ? (
        <p className="muted">No period rows yet.</p>
      ) : (
        <table className="responsive">
          <thead>
            <tr>
              <th>Period</th>
              <th>Status</th>
              <th>Reason</th>
              <th>Payment</th>
              <th>Updates</th>
              <th>Last update</th>
            </tr>
          </thead>
          <tbody>
            {periods.map((p) => (
              <tr key={p.id} data-testid="period-row">
                <td data-label="Period">{periodLabel({ type: p.periodType, year: p.periodYear, number: p.periodNumber })}</td>
                <td data-label="Status">
                  <StatusBadge code={p.statusCode} name={p.statusName} />
                  {p.isTerminal ? ' (terminal)' : ''}
                </td>
                <td data-label="Reason">
                  {p.reasonName ?? '—'}
                  {p.remarks ? <div className="muted">{p.remarks}</div> : null}
                </td>
                <td data-label="Payment">{p.hasPayment ? 'Yes' : 'No'}</td>
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

const TELE_FORMS = ['tele-status', 'month-to-update', 'nextbank-retry', 'reinstate'];

/** A reply's errors as one map: the fields' and the whole form's (as "form"). */
function errorsOf(reply: FormReply | null | undefined): Record<string, string> | undefined {
  return reply ? { ...reply.fieldErrors, ...(reply.formError ? { form: reply.formError } : {}) } : undefined;
}

export { GeneralErrorBoundary as ErrorBoundary } from '../../ui/general-error-boundary';
