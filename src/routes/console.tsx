import { Hono, type Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { secureHeaders } from 'hono/secure-headers';
import { CONSOLE_CSS, CONSOLE_JS } from '../console/assets';
import { RequestPage, SignIn, TenantPage, Tenants } from '../console/pages';
import { csrfToken, csrfValid, newSession, recordFailedSignIn, SESSION_COOKIE, SESSION_SECONDS, sessionOf, signInBlocked, type Session } from '../console/session';
import { secretsEqual } from '../http/admin-auth';
import { newTenant, newToken, rotation } from '../http/admin-schemas';
import type { z } from 'zod';
import { adminContextOf } from '../http/composition-root';
import * as admin from '../service/admin';
import { AdminError } from '../service/admin-error';
import * as log from '../service/request-log';
import type { AppEnv } from '../env';

// The operator's console (README "Console"): server-rendered pages over the admin API's services,
// signed in with the admin secret. Routes stay thin: read the form, call the service, render.

export const consoleRoutes = new Hono<AppEnv>();

consoleRoutes.use(
  '*',
  secureHeaders({
    contentSecurityPolicy: {
      defaultSrc: ["'none'"],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
      imgSrc: ["'self'"],
      connectSrc: ["'self'"],
      formAction: ["'self'"],
      frameAncestors: ["'none'"],
      baseUri: ["'none'"],
    },
    referrerPolicy: 'no-referrer',
    xFrameOptions: 'DENY',
  }),
  bodyLimit({ maxSize: 16 * 1024, onError: (c) => c.text('The form is too large.', 413) }),
  // No page is cached: one may show a token just minted.
  async (c, next) => {
    await next();
    if (!c.req.path.startsWith('/console/assets/')) c.header('Cache-Control', 'no-store');
  },
);

/** The posted form; a body that is no form is an empty one (the checks that follow refuse it). */
async function formOf(c: Context<AppEnv>): Promise<Record<string, string | File | (string | File)[]>> {
  try {
    return await c.req.parseBody({ all: true });
  } catch {
    return {};
  }
}

consoleRoutes.get('/assets/console.css', (c) => c.body(CONSOLE_CSS, 200, { 'Content-Type': 'text/css; charset=utf-8', 'Cache-Control': 'public, max-age=300' }));
consoleRoutes.get('/assets/console.js', (c) => c.body(CONSOLE_JS, 200, { 'Content-Type': 'text/javascript; charset=utf-8', 'Cache-Control': 'public, max-age=300' }));

/** A form's fields checked with the admin API's schema; the first problem is a 400 shown on the page. */
function valid<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new AdminError(400, 'invalid_request', `${issue?.path.join('.') || 'form'}: ${issue?.message ?? 'invalid'}`);
  }
  return parsed.data;
}

/** The admin secret; without one the console does not exist (as the admin API). */
function secretOf(c: Context<AppEnv>): string | undefined {
  return c.env.ADMIN_TOKEN || undefined;
}

async function session(c: Context<AppEnv>): Promise<Session | undefined> {
  const secret = secretOf(c);
  return secret ? sessionOf(secret, getCookie(c, SESSION_COOKIE)) : undefined;
}

const clientOf = (c: Context<AppEnv>) => c.req.header('CF-Connecting-IP') ?? 'local';

consoleRoutes.get('/', async (c) => {
  const secret = secretOf(c);
  if (!secret) return c.notFound();
  const s = await session(c);
  if (!s) return c.html(<SignIn />);
  return c.html(<Tenants tenants={await admin.listTenants(await adminContextOf(c))} csrf={await csrfToken(secret, s)} notice={c.req.query('notice')} />);
});

consoleRoutes.post('/login', async (c) => {
  const secret = secretOf(c);
  if (!secret) return c.notFound();
  const client = clientOf(c);
  if (signInBlocked(client)) return c.html(<SignIn error="Too many failed sign-ins: wait a minute." />, 429, { 'Retry-After': '60' });
  const form = await formOf(c);
  if (typeof form.secret !== 'string' || !(await secretsEqual(form.secret, secret))) {
    recordFailedSignIn(client);
    return c.html(<SignIn error="That is not the admin secret." />, 401);
  }
  setCookie(c, SESSION_COOKIE, await newSession(secret), { httpOnly: true, secure: true, sameSite: 'Strict', path: '/console', maxAge: SESSION_SECONDS });
  return c.redirect('/console', 303);
});

/** A signed-in request with the form's CSRF token checked; else the answer to give. */
async function authorised(c: Context<AppEnv>, form?: Record<string, unknown>): Promise<{ secret: string; s: Session; csrf: string } | Response> {
  const secret = secretOf(c);
  if (!secret) return c.notFound();
  const s = await session(c);
  if (!s) return c.html(<SignIn error="Your session has ended: sign in again." />, 401);
  if (form !== undefined && !(await csrfValid(secret, s, form.csrf))) return c.html(<SignIn error="The form was not sent from this console (CSRF token missing or wrong)." />, 403);
  return { secret, s, csrf: await csrfToken(secret, s) };
}

consoleRoutes.post('/logout', async (c) => {
  const auth = await authorised(c, await formOf(c));
  if (auth instanceof Response) return auth;
  deleteCookie(c, SESSION_COOKIE, { path: '/console', secure: true });
  return c.redirect('/console', 303);
});

consoleRoutes.post('/tenants', async (c) => {
  const form = await formOf(c);
  const auth = await authorised(c, form);
  if (auth instanceof Response) return auth;
  const id = String(form.id ?? '');
  try {
    const input = valid(newTenant, { id, ...(form.name ? { name: String(form.name) } : {}) });
    await admin.createTenant(await adminContextOf(c), input);
  } catch (error) {
    if (!(error instanceof AdminError)) throw error;
    return c.html(<Tenants tenants={await admin.listTenants(await adminContextOf(c))} csrf={auth.csrf} error={error.message} />, error.status);
  }
  return c.redirect(`/console/tenants/${encodeURIComponent(id)}`, 303);
});

consoleRoutes.post('/tenants/:tenant/delete', async (c) => {
  const form = await formOf(c);
  const auth = await authorised(c, form);
  if (auth instanceof Response) return auth;
  const tenant = c.req.param('tenant');
  if (form.confirm !== tenant) {
    return c.html(<Tenants tenants={await admin.listTenants(await adminContextOf(c))} csrf={auth.csrf} error={`Type the tenant id (${tenant}) to delete it.`} />, 400);
  }
  await admin.deleteTenant(await adminContextOf(c), tenant);
  return c.redirect(`/console?notice=${encodeURIComponent(`Tenant ${tenant} deleted.`)}`, 303);
});

/** The tenant page, with what a form just did (a new token shown once, an error, a notice). */
async function tenantPage(c: Context<AppEnv>, csrf: string, tenantId: string, extra: { revealed?: { id: string; token: string }; error?: string; notice?: string } = {}, status: 200 | 201 | 400 | 404 | 409 = 200) {
  const ctx = await adminContextOf(c);
  const tenant = await admin.existingTenant(ctx, tenantId);
  const filters: Record<string, string> = {};
  for (const key of ['status', 'token', 'resource', 'method', 'after']) {
    const value = c.req.query(key);
    if (value) filters[key] = value;
  }
  let page: Awaited<ReturnType<typeof log.listRequests>> = { requests: [], nextCursor: null };
  let error = extra.error;
  try {
    page = await log.listRequests(ctx, tenantId, filters);
  } catch (e) {
    if (!(e instanceof AdminError)) throw e;
    error = e.message;
  }
  const [tokens, overview] = await Promise.all([admin.tokensOf(ctx, tenantId), admin.overviewOf(ctx, tenantId)]);
  const { after: _after, ...kept } = filters;
  return c.html(
    <TenantPage tenant={tenant} origin={new URL(c.req.url).origin} csrf={csrf} counts={overview.counts} failures={overview.failures} tokens={tokens} log={page.requests} nextCursor={page.nextCursor} filters={kept} {...extra} error={error} />,
    status,
  );
}

/** Runs a form's action; an AdminError (bad input, unknown tenant) is shown on the page, not as JSON. */
async function formAction(c: Context<AppEnv>, act: (form: Record<string, unknown>) => Promise<Response>): Promise<Response> {
  const form = await formOf(c);
  const auth = await authorised(c, form);
  if (auth instanceof Response) return auth;
  try {
    return await act(form);
  } catch (error) {
    if (!(error instanceof AdminError) || error.status === 404) throw error;
    return tenantPage(c, auth.csrf, c.req.param('tenant')!, { error: error.message }, error.status === 409 ? 409 : 400);
  }
}

const REVEAL_COOKIE = 'scim_console_reveal';

/**
 * A token just minted or rotated in: handed to the tenant page once, in a short-lived cookie of that
 * page's path, then a redirect (POST, redirect, GET): reloading the page shows it no more and mints
 * nothing, and it is in no URL and no cached page.
 */
function reveal(c: Context<AppEnv>, id: string, token: string): Response {
  const path = `/console/tenants/${encodeURIComponent(c.req.param('tenant')!)}`;
  setCookie(c, REVEAL_COOKIE, `${id}.${token}`, { httpOnly: true, secure: true, sameSite: 'Strict', path, maxAge: 120 });
  return c.redirect(path, 303);
}

consoleRoutes.get('/tenants/:tenant', async (c) => {
  const auth = await authorised(c);
  if (auth instanceof Response) return auth;
  const shown = getCookie(c, REVEAL_COOKIE);
  if (shown) deleteCookie(c, REVEAL_COOKIE, { path: `/console/tenants/${encodeURIComponent(c.req.param('tenant'))}`, secure: true });
  const dot = shown?.indexOf('.') ?? -1;
  const revealed = shown && dot > 0 ? { id: shown.slice(0, dot), token: shown.slice(dot + 1) } : undefined;
  return tenantPage(c, auth.csrf, c.req.param('tenant'), revealed ? { revealed, notice: 'The token below is shown once: copy it now.' } : {});
});

consoleRoutes.post('/tenants/:tenant/tokens', (c) =>
  formAction(c, async (form) => {
    // The admin API's own schema: at least one scope (the form always sends the list), a label, an expiry in range.
    const input = valid(newToken, {
      label: String(form.label ?? '').trim(),
      scopes: ([] as unknown[]).concat(form.scopes ?? []).map(String),
      ...(form.expiresInDays ? { expiresInDays: Number(form.expiresInDays) } : {}),
    });
    const minted = await admin.mintToken(await adminContextOf(c), c.req.param('tenant'), input);
    return reveal(c, minted.id, minted.token);
  }),
);

consoleRoutes.post('/tenants/:tenant/tokens/:id/rotate', (c) =>
  formAction(c, async (form) => {
    const grace = valid(rotation, { graceSeconds: Number(form.graceSeconds ?? 0) }).graceSeconds;
    const rotated = await admin.rotate(await adminContextOf(c), c.req.param('tenant'), c.req.param('id'), grace);
    return reveal(c, rotated.id, rotated.token);
  }),
);

consoleRoutes.post('/tenants/:tenant/tokens/:id/revoke', (c) =>
  formAction(c, async () => {
    await admin.revoke(await adminContextOf(c), c.req.param('tenant'), c.req.param('id'));
    return c.redirect(`/console/tenants/${encodeURIComponent(c.req.param('tenant'))}`, 303);
  }),
);

consoleRoutes.get('/tenants/:tenant/requests/:requestId', async (c) => {
  const auth = await authorised(c);
  if (auth instanceof Response) return auth;
  const entry = await log.requestDetail(await adminContextOf(c), c.req.param('tenant'), c.req.param('requestId'));
  return c.html(<RequestPage tenant={c.req.param('tenant')} csrf={auth.csrf} entry={entry} />);
});
