/*
 * Every HTTP request the process answers, seen from Node's own diagnostics channels rather than
 * from inside Next: `next start` owns the server and has no hook that sees each request's status
 * and duration, and a custom server would give up what `next start` does for us. At the start of
 * a request this gives it an id (an incoming X-Request-Id when it is well formed) and records who
 * is on the other end of the socket; when its answer ends it writes one log line and counts it.
 * It also knows which requests are in flight, for the graceful stop (shutdown.ts).
 */
import { randomUUID } from 'node:crypto';
import dc from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { settings } from '../config.mjs';
import { logger } from './logger';
import { metrics } from './metrics';
import { builtRoutePatterns, compileRoutes, routeOf } from './routes';

/** The header that carries the request id, both ways. */
export const REQUEST_ID = 'x-request-id';
/**
 * Set on every request by this module, never by the client (whatever a client sends under this
 * name is replaced): "1" when the request comes from this machine: its socket is loopback and
 * every address a proxy added to X-Forwarded-For is too (through nginx on the same machine, the
 * socket is always loopback; the header says who nginx was talking to).
 */
export const PEER_LOOPBACK = 'x-blog-peer-loopback';

/** Letters, digits and a few separators, up to 128: nothing that could break a log line or a header. */
const VALID_ID = /^[A-Za-z0-9._:+/=~-]{1,128}$/;

export function requestIdFrom(incoming: string | string[] | undefined): string {
  return typeof incoming === 'string' && VALID_ID.test(incoming) ? incoming : randomUUID();
}

export function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  const plain = address.startsWith('::ffff:') ? address.slice(7) : address;
  return plain === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(plain);
}

type InFlight = { request: IncomingMessage; response: ServerResponse };

type State = {
  installed: boolean;
  inFlight: Set<InFlight>;
  servers: Set<Server>;
  stopping: boolean;
  routes: ReturnType<typeof compileRoutes>;
  record: boolean;
  onServer?: (server: Server) => void;
};

const holder = globalThis as unknown as { __blogRequests?: State };

function state(): State {
  holder.__blogRequests ??= { installed: false, inFlight: new Set(), servers: new Set(), stopping: false, routes: [], record: true };
  return holder.__blogRequests;
}

/** Requests whose answer has not ended yet. */
export function inFlightCount(): number {
  return state().inFlight.size;
}

/** The HTTP servers seen so far (the one `next start` made, once it has had a request). */
export function knownServers(): Server[] {
  return [...state().servers];
}

/** Whether a stop has begun (shutdown.ts starts it; readiness reports it). */
export function isStopping(): boolean {
  return state().stopping;
}

/**
 * The stop has begun: from now on, every answer asks the client to close its connection, and answers already being
 * written that have not sent their headers do too, so keep-alive clients go away when their
 * request is done instead of holding the server open.
 */
export function closeConnectionsAfterAnswer(): void {
  const current = state();
  current.stopping = true;
  for (const { response } of current.inFlight) {
    if (!response.headersSent) response.setHeader('Connection', 'close');
  }
}

type StartMessage = { request: IncomingMessage; response: ServerResponse; socket: Socket; server: Server };

function onStart(message: unknown): void {
  const { request, response, socket, server } = message as StartMessage;
  const current = state();
  if (!current.servers.has(server)) {
    current.servers.add(server);
    current.onServer?.(server);
  }
  const id = requestIdFrom(request.headers[REQUEST_ID]);
  request.headers[REQUEST_ID] = id;
  const forwarded = request.headers['x-forwarded-for'];
  const relayed = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((entry) => entry.trim()).filter(Boolean);
  request.headers[PEER_LOOPBACK] = isLoopback(socket.remoteAddress) && relayed.every(isLoopback) ? '1' : '0';
  response.setHeader('X-Request-Id', id);
  if (current.stopping) response.setHeader('Connection', 'close');

  const entry: InFlight = { request, response };
  current.inFlight.add(entry);
  const started = process.hrtime.bigint();
  // 'close' comes after the answer ends, and also when the client goes away first.
  response.once('close', () => {
    current.inFlight.delete(entry);
    if (!current.record) return;
    const durationMs = Number(process.hrtime.bigint() - started) / 1e6;
    const url = request.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const status = response.statusCode;
    const route = routeOf(current.routes, path, status);
    const cache = response.getHeader('x-nextjs-cache');
    const method = request.method ?? 'GET';
    logger().info(
      {
        reqId: id,
        method,
        path,
        route,
        status,
        durationMs: Math.round(durationMs * 10) / 10,
        cache: typeof cache === 'string' ? cache.toLowerCase() : 'none',
        ...(response.writableFinished ? {} : { aborted: true }),
      },
      'request',
    );
    const m = metrics();
    m.requests.inc({ route, method, status: String(status) });
    m.duration.observe({ route, method }, durationMs / 1000);
  });
}

/**
 * Starts watching requests (once per process); `onServer` sees each HTTP server on its first
 * request (probes.ts puts the health answers in front of it). REQUEST_LOG=0 (the benchmark's way to measure
 * what they cost) leaves out the log line and the HTTP metrics; ids and the in-flight count stay.
 */
export function observeRequests(options: { onServer?: (server: Server) => void } = {}): void {
  const current = state();
  if (current.installed) return;
  current.installed = true;
  current.onServer = options.onServer;
  current.record = settings().REQUEST_LOG;
  current.routes = compileRoutes(builtRoutePatterns());
  dc.subscribe('http.server.request.start', onStart);
}
