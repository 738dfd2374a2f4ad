import { expect, test } from '@playwright/test';
import { branchLabel, branchesOnList, clientCountIn, clientTotal, createAdmin, openDb, runTag, signIn, signInAs } from './admin-support';

// Issue 3, first "Done means" line: an admin creates a tele agent; the agent signs in with the
// temporary password, must change it, and sees only its branch; the admin moves the agent to another
// branch and the agent's next page load shows that branch; the admin deactivates the agent and the
// agent's open session stops working on the next request. Two browser contexts: two people.

test('admin creates a tele agent, moves it to another branch, deactivates it; the agent follows every change', async ({ browser }) => {
  test.setTimeout(60_000);
  const tag = runTag();
  const db = openDb();
  const adminEmail = `pw.admin.${tag}@demo.test`;
  const adminPassword = `playwright admin ${tag} passphrase`;
  await createAdmin(db, adminEmail, adminPassword);
  const agentEmail = `tele.agent.${tag}@demo.test`;
  const agentName = 'Teresita Villamor';
  const [mnla01, qzn01] = [await branchLabel(db, 'MNLA01'), await branchLabel(db, 'QZN01')];
  const [mnla01Clients, qzn01Clients] = [await clientCountIn(db, 'MNLA01'), await clientCountIn(db, 'QZN01')];
  expect(mnla01Clients).toBeGreaterThan(0);
  expect(qzn01Clients).toBeGreaterThan(0);

  const adminContext = await browser.newContext();
  const agentContext = await browser.newContext();
  const admin = await adminContext.newPage();
  const agent = await agentContext.newPage();
  try {
    // The admin creates the agent: role FC_TELE for FCASH, branch MNLA01.
    await signInAs(admin, adminEmail, adminPassword, 'Playwright Admin');
    await admin.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Users' }).click();
    await expect(admin.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
    await admin.getByRole('link', { name: 'New user' }).click();
    await expect(admin.getByRole('heading', { name: 'New user', level: 1 })).toBeVisible();
    await admin.getByLabel('Email').fill(agentEmail);
    await admin.getByLabel('Full name').fill(agentName);
    await admin.getByLabel('Role', { exact: true }).selectOption({ label: 'FCASH tele agent' });
    await admin.getByLabel('Company of the role').selectOption({ label: 'FCASH' });
    await admin.getByLabel('Branches', { exact: true }).selectOption({ label: mnla01 });
    await admin.getByRole('button', { name: 'Create user' }).click();
    // Post/redirect/get to the new user's page; the flash shows the temporary password once.
    await expect(admin.getByTestId('toast')).toHaveText(/^User created\./);
    const temporary = ((await admin.getByTestId('temporary-password').textContent()) ?? '').trim();
    expect(temporary).toMatch(/^[A-Za-z0-9]{16}$/);
    await expect(admin.getByTestId('user-name')).toHaveText(agentName);
    const userUrl = admin.url();
    expect(userUrl).toMatch(/\/admin\/users\/\d+$/);
    await expect(admin.getByTestId('user-state')).toHaveText('Active · must change password');
    // Shown once: a reload of the user's page does not show it again (and creates no second user).
    await admin.reload();
    await expect(admin.getByTestId('user-name')).toHaveText(agentName);
    await expect(admin.getByTestId('temporary-password')).toHaveCount(0);

    // The agent signs in with the temporary password and is sent to change it.
    await agent.goto('/login');
    await signIn(agent, agentEmail, temporary);
    await expect(agent).toHaveURL(/\/account\/password$/);
    await expect(agent.getByRole('heading', { name: 'Change password', level: 1 })).toBeVisible();
    await expect(agent.getByText('You must choose a new password before you go on.')).toBeVisible();
    // Nothing else opens until it is changed.
    await agent.goto('/clients');
    await expect(agent).toHaveURL(/\/account\/password$/);
    const newPassword = `mango season harbor ${tag}`;
    await agent.getByLabel('Current password').fill(temporary);
    await agent.getByLabel('New password', { exact: true }).fill(newPassword);
    await agent.getByLabel('New password again').fill(newPassword);
    await agent.getByRole('button', { name: 'Change password' }).click();
    await expect(agent).toHaveURL(/\/clients$/);
    await expect(agent.getByTestId('current-user')).toHaveText(agentName);

    // Only MNLA01, and all of it.
    expect(await clientTotal(agent)).toBe(mnla01Clients);
    expect(await branchesOnList(agent)).toEqual(['MNLA01']);
    const branchFilter = (await agent.getByLabel('Branch').locator('option').allTextContents()).filter((l) => l !== 'All');
    expect(branchFilter).toEqual([mnla01]);

    // The admin moves the agent to QZN01.
    await admin.goto(userUrl);
    await admin.getByLabel('Branches', { exact: true }).selectOption({ label: qzn01 });
    await admin.getByRole('button', { name: 'Save territory' }).click();
    await expect(admin.getByTestId('toast')).toHaveText('Territory saved.');

    // The agent's next page load shows QZN01 only (access is cached, and the change dropped it).
    await agent.reload();
    await expect(agent.getByTestId('client-row').first()).toBeVisible();
    expect(await clientTotal(agent)).toBe(qzn01Clients);
    expect(await branchesOnList(agent)).toEqual(['QZN01']);

    // The admin deactivates the agent.
    await admin.getByRole('button', { name: 'Deactivate', exact: true }).click();
    await expect(admin.getByTestId('toast')).toHaveText('User deactivated; their sessions ended.');
    await expect(admin.getByTestId('user-state')).toHaveText('Inactive');

    // The agent's open session stops working on the next request: a click in the app lands on sign-in.
    await agent.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Clients' }).click();
    await expect(agent).toHaveURL(/\/login\?redirectTo=%2Fclients/);
    await expect(agent.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(agent.getByTestId('current-user')).toHaveCount(0);
    await expect(agent.getByTestId('client-row')).toHaveCount(0);
    // And the new password does not open it again.
    await signIn(agent, agentEmail, newPassword);
    await expect(agent.getByTestId('login-error')).toBeVisible();
    await expect(agent.getByTestId('current-user')).toHaveCount(0);
  } finally {
    await adminContext.close();
    await agentContext.close();
    db.close();
  }
});
