import type { Child, FC } from 'hono/jsx';

// The console's pages (README "Console"): server-rendered Hono JSX, no framework, no inline script
// or style. Every control is a labelled native form element, so keyboard and screen readers work.

export const Layout: FC<{ title: string; signedIn: boolean; csrf?: string; children?: Child }> = ({ title, signedIn, csrf, children }) => (
  <html lang="en">
    <head>
      <meta charset="utf-8" />
      <meta name="viewport" content="width=device-width, initial-scale=1" />
      <title>{`${title} · SCIM console`}</title>
      <link rel="stylesheet" href="/console/assets/console.css" />
      <script src="/console/assets/console.js" defer></script>
    </head>
    <body>
      <header>
        <a href="/console">SCIM console</a>
        {signedIn && csrf !== undefined ? (
          <form method="post" action="/console/logout" class="inline">
            <input type="hidden" name="csrf" value={csrf} />
            <button type="submit">Sign out</button>
          </form>
        ) : null}
      </header>
      <main>{children}</main>
    </body>
  </html>
);

export const SignIn: FC<{ error?: string }> = ({ error }) => (
  <Layout title="Sign in" signedIn={false}>
    <h1>Sign in</h1>
    {error ? <p class="error" role="alert">{error}</p> : null}
    <form method="post" action="/console/login" class="stack">
      <label>
        Admin secret (ADMIN_TOKEN)
        <input type="password" name="secret" autocomplete="current-password" required autofocus />
      </label>
      <button type="submit" class="primary">Sign in</button>
    </form>
  </Layout>
);

const Csrf: FC<{ value: string }> = ({ value }) => <input type="hidden" name="csrf" value={value} />;

export interface TenantRow {
  id: string;
  name: string;
  created: string;
  /** Its data database (README "Shards"). */
  shard: string;
}

export const Tenants: FC<{ tenants: TenantRow[]; csrf: string; error?: string; notice?: string }> = ({ tenants, csrf, error, notice }) => (
  <Layout title="Tenants" signedIn csrf={csrf}>
    <h1>Tenants</h1>
    {error ? <p class="error" role="alert">{error}</p> : null}
    {notice ? <p class="notice" role="status">{notice}</p> : null}
    <table>
      <thead>
        <tr><th scope="col">Tenant</th><th scope="col">Name</th><th scope="col">Database</th><th scope="col">Created</th><th scope="col">Delete</th></tr>
      </thead>
      <tbody>
        {tenants.map((t) => (
          <tr>
            <td><a href={`/console/tenants/${encodeURIComponent(t.id)}`}>{t.id}</a></td>
            <td>{t.name}</td>
            <td>{t.shard}</td>
            <td>{t.created}</td>
            <td>
              <form method="post" action={`/console/tenants/${encodeURIComponent(t.id)}/delete`} class="inline" data-confirm={`Delete tenant ${t.id} and all its data?`}>
                <Csrf value={csrf} />
                <label>
                  Type the tenant id to confirm
                  <input name="confirm" required aria-label={`Type ${t.id} to delete it`} />
                </label>
                <button type="submit" class="danger">Delete</button>
              </form>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
    <h2>New tenant</h2>
    <form method="post" action="/console/tenants" class="stack">
      <Csrf value={csrf} />
      <label>Id<input name="id" required pattern="[A-Za-z0-9][A-Za-z0-9_-]{0,63}" /></label>
      <label>Name<input name="name" /></label>
      <button type="submit" class="primary">Create tenant</button>
    </form>
  </Layout>
);

export interface TokenRowView {
  id: string;
  label: string;
  scopes: string[];
  hint: string;
  created: string;
  expires?: string;
  lastUsed?: string;
  lastSuccess?: string | null;
  lastFailure?: string | null;
  counts?: { '2xx': number; '4xx': number; '5xx': number };
}

export interface LogRowView {
  requestId: string;
  at: string;
  method: string;
  path: string;
  status: number;
  scimType: string | null;
  tokenLabel: string | null;
  authFailure: string | null;
  durationMs: number;
  resourceId: string | null;
  userAgent: string | null;
}

export interface TenantPageProps {
  tenant: TenantRow;
  origin: string;
  csrf: string;
  counts: { resourceType: string; n: number }[];
  tokens: TokenRowView[];
  log: LogRowView[];
  nextCursor: string | null;
  filters: Record<string, string>;
  failures: { reason: string; n: number }[];
  revealed?: { id: string; token: string };
  error?: string;
  notice?: string;
}

const CopyBox: FC<{ id: string; value: string; label: string }> = ({ id, value, label }) => (
  <p>
    <span>{label}: </span>
    <code id={id}>{value}</code> <button type="button" data-copy={id} aria-label={`Copy ${label}`}>Copy</button>
  </p>
);

export const TenantPage: FC<TenantPageProps> = (p) => {
  const t = encodeURIComponent(p.tenant.id);
  const base = `/console/tenants/${t}`;
  const scimUrl = `${p.origin}/t/${t}/scim/v2`;
  const filterQuery = (extra: Record<string, string>) => `?${new URLSearchParams({ ...p.filters, ...extra }).toString()}`;
  return (
    <Layout title={p.tenant.id} signedIn csrf={p.csrf}>
      <h1>Tenant {p.tenant.id}</h1>
      {p.error ? <p class="error" role="alert">{p.error}</p> : null}
      {p.notice ? <p class="notice" role="status">{p.notice}</p> : null}
      {p.revealed ? (
        <section aria-labelledby="revealed">
          <h2 id="revealed">New token (shown once)</h2>
          <code class="secret" id="new-token">{p.revealed.token}</code>
          <button type="button" data-copy="new-token">Copy</button> <span>Paste it into the IdP now: it cannot be shown again.</span>
        </section>
      ) : null}

      <h2>SCIM base URLs</h2>
      <CopyBox id="scim-url" value={scimUrl} label="This tenant's base URL" />
      <CopyBox id="scim-url-shared" value={`${p.origin}/scim/v2`} label="Shared base URL (the token picks the tenant)" />
      <h2>Connect an IdP</h2>
      <p><strong>Microsoft Entra ID</strong> (Enterprise application → Provisioning → Automatic):</p>
      <ol>
        <li>Tenant URL: the tenant's base URL above.</li>
        <li>Secret Token: a new token below (scopes scim:read and scim:write).</li>
        <li>Test Connection, then Save and turn provisioning on.</li>
      </ol>
      <p><strong>Okta</strong> (App → Provisioning → Integration, SCIM 2.0):</p>
      <ol>
        <li>SCIM connector base URL: the tenant's base URL; unique identifier field: userName.</li>
        <li>Authentication mode: HTTP Header; Authorization: Bearer and a new token below.</li>
        <li>Test Connector Configuration, then enable Create, Update and Deactivate Users.</li>
      </ol>

      <h2>Resources</h2>
      <table>
        <thead><tr><th scope="col">Type</th><th scope="col">Count</th></tr></thead>
        <tbody>{p.counts.map((c) => <tr><td>{c.resourceType}</td><td>{c.n}</td></tr>)}</tbody>
      </table>

      <h2>Tokens</h2>
      <table>
        <thead>
          <tr><th scope="col">Label</th><th scope="col">Scopes</th><th scope="col">Token</th><th scope="col">Expires</th><th scope="col">Last success</th><th scope="col">Last failure</th><th scope="col">24 h 2xx/4xx/5xx</th><th scope="col">Rotate</th><th scope="col">Revoke</th></tr>
        </thead>
        <tbody>
          {p.tokens.map((k) => (
            <tr>
              <td><a href={`${base}${filterQuery({ token: k.id })}#log`}>{k.label}</a></td>
              <td>{k.scopes.join(', ')}</td>
              <td><code>{k.hint}</code></td>
              <td>{k.expires ?? 'never'}</td>
              <td>{k.lastSuccess ?? '—'}</td>
              <td>{k.lastFailure ?? '—'}</td>
              <td>{k.counts ? `${k.counts['2xx']} / ${k.counts['4xx']} / ${k.counts['5xx']}` : '0 / 0 / 0'}</td>
              <td>
                <form method="post" action={`${base}/tokens/${encodeURIComponent(k.id)}/rotate`} class="inline">
                  <Csrf value={p.csrf} />
                  <label>Grace (seconds)<input name="graceSeconds" type="number" min="0" max="2592000" value="300" /></label>
                  <button type="submit">Rotate</button>
                </form>
              </td>
              <td>
                <form method="post" action={`${base}/tokens/${encodeURIComponent(k.id)}/revoke`} class="inline" data-confirm={`Revoke token ${k.label}?`}>
                  <Csrf value={p.csrf} />
                  <button type="submit" class="danger">Revoke</button>
                </form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="post" action={`${base}/tokens`} class="stack">
        <Csrf value={p.csrf} />
        <label>Label<input name="label" required maxlength={200} /></label>
        <fieldset>
          <legend>Scopes</legend>
          <label><input type="checkbox" name="scopes" value="scim:read" checked /> scim:read</label>
          <label><input type="checkbox" name="scopes" value="scim:write" checked /> scim:write</label>
          <label><input type="checkbox" name="scopes" value="events:read" /> events:read</label>
        </fieldset>
        <label>Expires in (days, empty: never)<input name="expiresInDays" type="number" min="1" max="3650" /></label>
        <button type="submit" class="primary">Create token</button>
      </form>

      <h2>Failed authentication (24 h)</h2>
      {p.failures.length === 0 ? <p>None.</p> : (
        <table>
          <thead><tr><th scope="col">Reason</th><th scope="col">Requests</th></tr></thead>
          <tbody>{p.failures.map((f) => <tr><td>{f.reason}</td><td>{f.n}</td></tr>)}</tbody>
        </table>
      )}

      <h2 id="log">Provisioning log</h2>
      <form method="get" action={base} class="stack">
        <label>Status<select name="status">
          {['', '2xx', '4xx', '5xx'].map((s) => <option value={s} selected={p.filters.status === s}>{s || 'any'}</option>)}
        </select></label>
        <label>Method<select name="method">
          {['', 'GET', 'POST', 'PUT', 'PATCH', 'DELETE'].map((m) => <option value={m} selected={p.filters.method === m}>{m || 'any'}</option>)}
        </select></label>
        <label>Token id<input name="token" value={p.filters.token ?? ''} /></label>
        <label>Resource id (its timeline)<input name="resource" value={p.filters.resource ?? ''} /></label>
        <button type="submit">Filter</button>
      </form>
      <table>
        <thead><tr><th scope="col">Time</th><th scope="col">Request</th><th scope="col">Status</th><th scope="col">Token</th><th scope="col">ms</th><th scope="col">Resource</th><th scope="col">Client</th></tr></thead>
        <tbody>
          {p.log.map((r) => (
            <tr>
              <td><a href={`${base}/requests/${encodeURIComponent(r.requestId)}`}>{r.at}</a></td>
              <td><code>{r.method} {r.path}</code></td>
              <td class={`status-${String(r.status)[0]}`}>{r.status}{r.scimType ? ` ${r.scimType}` : ''}</td>
              <td>{r.tokenLabel ?? r.authFailure ?? '—'}</td>
              <td>{r.durationMs}</td>
              <td>{r.resourceId ? <a href={`${base}${filterQuery({ resource: r.resourceId })}#log`}>{r.resourceId}</a> : '—'}</td>
              <td>{r.userAgent ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {p.nextCursor ? <p><a href={`${base}${filterQuery({ after: p.nextCursor })}#log`}>Older requests</a></p> : null}
    </Layout>
  );
};

export const RequestPage: FC<{ tenant: string; csrf: string; entry: Record<string, unknown> }> = ({ tenant, csrf, entry }) => {
  const pretty = (text: unknown) => {
    if (typeof text !== 'string') return '(none)';
    try {
      return JSON.stringify(JSON.parse(text), null, 2);
    } catch {
      return text;
    }
  };
  const { requestBody, responseBody, ...meta } = entry;
  return (
    <Layout title={`Request ${String(entry.requestId)}`} signedIn csrf={csrf}>
      <p><a href={`/console/tenants/${encodeURIComponent(tenant)}#log`}>← Tenant {tenant}</a></p>
      <h1>Request {String(entry.requestId)}</h1>
      <table>
        <tbody>{Object.entries(meta).map(([k, v]) => <tr><th scope="row">{k}</th><td>{v === null ? '—' : String(v)}</td></tr>)}</tbody>
      </table>
      <h2>Request body (redacted)</h2>
      <pre>{pretty(requestBody)}</pre>
      <h2>Response body (redacted)</h2>
      <pre>{pretty(responseBody)}</pre>
    </Layout>
  );
};
