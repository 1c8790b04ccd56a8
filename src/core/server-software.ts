// The web server behind a site, from its `Server` header (RFC 9110 §10.2.4), and how to make that
// server staple (docs/contract.md §8; each recipe checked against the server's own documentation,
// cited in docs/browsers.md "Fix it"). Pure.
//
// The header comes from the site and is hostile: only a bounded product token survives
// (`token ["/" token]`, RFC 9110 §5.6.2), never the comments or anything after them.

/** At most this many characters of a product token are kept. */
export const MAX_PRODUCT_TOKEN = 64;

const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+/;

/**
 * The first product token of a `Server` field value: `nginx/1.24.0 (Ubuntu)` → `nginx/1.24.0`.
 * `null` when the value does not start with one.
 */
export function productToken(value: string): string | null {
  const trimmed = value.slice(0, 512).replace(/^[ \t]+/, '');
  const name = TOKEN.exec(trimmed)?.[0];
  if (!name) return null;
  let token = name;
  const rest = trimmed.slice(name.length);
  if (rest.startsWith('/')) {
    const version = TOKEN.exec(rest.slice(1))?.[0];
    if (version) token += `/${version}`;
  }
  return token.slice(0, MAX_PRODUCT_TOKEN);
}

export type ServerSoftware = 'nginx' | 'apache' | 'caddy' | 'haproxy';
export const SERVER_SOFTWARE: readonly ServerSoftware[] = ['nginx', 'apache', 'caddy', 'haproxy'];

// Product names as these servers send them (nginx's `server_tokens`, Apache's `ServerTokens`,
// Caddy's default `Server: Caddy`); OpenResty and Tengine are nginx builds with nginx's directives.
const PRODUCTS: Record<string, ServerSoftware> = {
  nginx: 'nginx',
  openresty: 'nginx',
  tengine: 'nginx',
  apache: 'apache',
  caddy: 'caddy',
  haproxy: 'haproxy',
};

/** Which server's recipe applies; `null` when the token names none we know (all are offered). */
export function serverSoftwareOf(token: string | null | undefined): ServerSoftware | null {
  if (!token) return null;
  const name = token.split('/')[0]?.toLowerCase() ?? '';
  return PRODUCTS[name] ?? null;
}

export interface FixRecipe {
  server: ServerSoftware;
  /** Configuration lines to add, as the server's documentation writes them. */
  lines: string[];
  /** The server's own documentation of these directives. */
  documentation: string;
}

/** How to turn stapling on, per server (sources in docs/browsers.md "Fix it"). */
export const FIX_RECIPES: Record<ServerSoftware, FixRecipe> = {
  nginx: {
    server: 'nginx',
    lines: [
      'ssl_stapling on;',
      'ssl_stapling_verify on;',
      'ssl_trusted_certificate /path/to/issuer-and-root.pem;',
      'resolver 127.0.0.53;',
    ],
    documentation: 'https://nginx.org/en/docs/http/ngx_http_ssl_module.html#ssl_stapling',
  },
  apache: {
    server: 'apache',
    lines: ['SSLUseStapling On', 'SSLStaplingCache "shmcb:logs/ssl_stapling(32768)"'],
    documentation: 'https://httpd.apache.org/docs/2.4/mod/mod_ssl.html#sslusestapling',
  },
  caddy: {
    server: 'caddy',
    lines: ['# Caddy staples by default: remove any "ocsp_stapling off" from the tls options.'],
    documentation: 'https://caddyserver.com/docs/automatic-https#ocsp-stapling',
  },
  haproxy: {
    server: 'haproxy',
    lines: ['crt /path/to/site.pem ocsp-update on'],
    documentation: 'https://docs.haproxy.org/3.0/configuration.html#ocsp-update',
  },
};
