/**
 * Debian's nginx serving a folder with the repository's configuration (deploy/nginx), as a deployment would, on
 * 127.0.0.1 without root: a private prefix in a temporary folder, the config files laid out as in
 * /etc/nginx/snippets/. For the browser tests and benchmarks that run against the build as deployed.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

export const NGINX_PATH = process.env['NGINX_PATH'] ?? '/usr/sbin/nginx';
const DEPLOY = path.resolve(import.meta.dirname, '../deploy/nginx');

export interface Nginx {
  readonly baseUrl: string;
  stop(): Promise<void>;
}

export const hasNginx = (): boolean => existsSync(NGINX_PATH);

/**
 * The start of an nginx.conf that runs without root: pid, logs and temporary folders in `prefix`, and the open
 * `http {` block (the caller adds its servers and closes it).
 */
export function nginxPreamble(prefix: string): string {
  const tmp = (d: string) => path.join(prefix, d);
  return `worker_processes 1;
pid ${tmp('nginx.pid')};
error_log ${tmp('error.log')} warn;
events { worker_connections 512; }
http {
  access_log off;
  client_body_temp_path ${tmp('body')};
  proxy_temp_path ${tmp('proxy')};
  fastcgi_temp_path ${tmp('fastcgi')};
  uwsgi_temp_path ${tmp('uwsgi')};
  scgi_temp_path ${tmp('scgi')};`;
}

/** A TCP port on 127.0.0.1 nothing listens on (for the test servers). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

/**
 * Start nginx on a free loopback port serving `root`; `extra` goes into the server block (e.g. a proxy);
 * `headers`, when given, replaces the security headers file (as tools/csp/deploy-config.ts writes it for a
 * deployment's config.json).
 */
export async function startNginx(root: string, extra = '', headers?: string): Promise<Nginx> {
  const prefix = mkdtempSync(path.join(tmpdir(), 'sddi-nginx-'));
  mkdirSync(path.join(prefix, 'snippets'));
  for (const f of ['sddi-twin.conf', 'sddi-twin-types.conf', 'sddi-twin-headers.conf']) copyFileSync(path.join(DEPLOY, f), path.join(prefix, 'snippets', f));
  if (headers !== undefined) writeFileSync(path.join(prefix, 'snippets', 'sddi-twin-headers.conf'), headers);
  const port = await freePort();
  const tmp = (d: string) => path.join(prefix, d);
  writeFileSync(tmp('nginx.conf'), `${nginxPreamble(prefix)}
  include /etc/nginx/mime.types;
  include snippets/sddi-twin-types.conf;
  default_type application/octet-stream;
  sendfile on;
  server {
    listen 127.0.0.1:${port};
    root ${path.resolve(root)};
    include snippets/sddi-twin.conf;
    ${extra}
  }
}
`);
  const child: ChildProcess = spawn(NGINX_PATH, ['-p', prefix, '-c', tmp('nginx.conf'), '-g', 'daemon off;'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
  const baseUrl = `http://127.0.0.1:${port}/`;
  // Ready when it answers; a config error ends the process with the reason on stderr.
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`nginx did not start: ${stderr || readLog(tmp('error.log'))}`);
    try {
      await fetch(baseUrl, { method: 'HEAD' });
      break;
    } catch {
      if (i > 100) throw new Error(`nginx did not answer on ${baseUrl}: ${readLog(tmp('error.log'))}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  return {
    baseUrl,
    async stop() {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once('exit', r));
        child.kill('SIGQUIT');
        await exited;
      }
      rmSync(prefix, { recursive: true, force: true });
    },
  };
}

function readLog(file: string): string {
  try {
    return readFileSync(file, 'utf8').slice(-2000);
  } catch {
    return '';
  }
}
