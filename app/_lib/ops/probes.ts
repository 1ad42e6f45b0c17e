/*
 * /api/health and /api/ready, answered before Next sees the request. A load balancer or an
 * orchestrator asks several times a second, and a request through Next's router costs about as
 * much CPU as a small page (measured: about 600 requests/s here against 2,000 asked for). The
 * HTTP server `next start` made is found on its first request (requests.ts, for
 * instrumentation.ts) and its request
 * listener wrapped once: these two paths are answered here, everything else goes to Next as
 * before. The routes in app/api/ answer the same way when this is not installed (next dev).
 */
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { readiness } from './readiness';

/** The bodies and statuses both doors give. */
export function healthAnswer(): { status: number; body: unknown } {
  return { status: 200, body: { status: 'ok' } };
}

export function readyAnswer(): { status: number; body: unknown } {
  const { ready, problems, checkedAt } = readiness();
  return { status: ready ? 200 : 503, body: { status: ready ? 'ready' : 'not ready', problems, checkedAt } };
}

const PROBES: Record<string, () => { status: number; body: unknown }> = { '/api/health': healthAnswer, '/api/ready': readyAnswer };

function probeFor(request: IncomingMessage): (() => { status: number; body: unknown }) | undefined {
  if (request.method !== 'GET' && request.method !== 'HEAD') return undefined;
  const url = request.url ?? '';
  const query = url.indexOf('?');
  return PROBES[query === -1 ? url : url.slice(0, query)];
}

const wrapped = new WeakSet<Server>();

/** Puts the probes in front of the server's request listeners (once per server). */
export function answerProbesFirst(server: Server): void {
  if (wrapped.has(server)) return;
  wrapped.add(server);
  const listeners = server.listeners('request') as ((request: IncomingMessage, response: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    const probe = probeFor(request);
    if (!probe) {
      for (const listener of listeners) listener.call(server, request, response);
      return;
    }
    const { status, body } = probe();
    const text = JSON.stringify(body);
    response.writeHead(status, {
      'Content-Type': 'application/json',
      'Content-Length': Buffer.byteLength(text),
      'Cache-Control': 'no-store',
      'X-Content-Type-Options': 'nosniff',
    });
    response.end(request.method === 'HEAD' ? undefined : text);
  });
}
