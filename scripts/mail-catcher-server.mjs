// The mail catcher (scripts/lib/mail-catcher.mjs) as a process of its own: Playwright starts it
// as a webServer for the e2e server to send to, and it serves as a local SMTP catcher by hand
// (`node scripts/mail-catcher-server.mjs`, then SMTP_URL=smtp://127.0.0.1:3102).
//
// SMTP on 127.0.0.1:MAIL_CATCHER_SMTP_PORT (3102), and an HTTP control API on
// 127.0.0.1:MAIL_CATCHER_HTTP_PORT (3103):
//   GET    /health             {"ok":true,"smtp":"listening"|"stopped","smtpPort":…,"messages":n}
//   GET    /messages[?to=addr] the messages caught (to that recipient), oldest first, as JSON
//   DELETE /messages           forget them all
//   POST   /smtp/stop          stop listening: connections are refused, as a server that is down
//   POST   /smtp/start         listen again on the same port
// Each message is also printed: a summary line and its text part.
import http from 'node:http';
import { createMailCatcher, isAddressedTo } from './lib/mail-catcher.mjs';

const smtpPort = Number(process.env.MAIL_CATCHER_SMTP_PORT ?? 3102);
const httpPort = Number(process.env.MAIL_CATCHER_HTTP_PORT ?? 3103);

/** One line for a start that cannot go on (a port in use), not a stack trace. */
function fail(error) {
  console.error(`[mail-catcher] ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

const catcher = await createMailCatcher({
  port: smtpPort,
  onMessage(mail) {
    const to = mail.envelope.rcptTo.join(', ');
    const body = mail.text.trimEnd().replace(/^/gm, '    ');
    console.log(`[mail-catcher] #${mail.id} from ${mail.envelope.mailFrom || '<>'} to ${to}: ${mail.subject}\n${body}`);
  },
}).catch(fail);

function reply(response, status, body) {
  response.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
  response.end(JSON.stringify(body));
}

const routes = {
  'GET /health': () => [200, { ok: true, smtp: catcher.listening ? 'listening' : 'stopped', smtpPort: catcher.port, messages: catcher.messages().length }],
  'GET /messages': (url) => {
    const to = url.searchParams.get('to');
    return [200, to ? catcher.messages().filter((mail) => isAddressedTo(mail, to)) : catcher.messages()];
  },
  'DELETE /messages': () => [200, { cleared: catcher.clear() }],
  'POST /smtp/stop': async () => {
    await catcher.stopSmtp();
    return [200, { smtp: 'stopped' }];
  },
  'POST /smtp/start': async () => {
    await catcher.startSmtp();
    return [200, { smtp: 'listening' }];
  },
};

const server = http.createServer(async (request, response) => {
  const url = new URL(request.url ?? '/', 'http://127.0.0.1');
  const route = routes[`${request.method} ${url.pathname}`];
  // The bodies of POST and DELETE carry nothing; read them so the connection stays usable.
  request.resume();
  if (!route) {
    const known = Object.keys(routes).some((key) => key.endsWith(` ${url.pathname}`));
    reply(response, known ? 405 : 404, { error: known ? 'method not allowed' : 'not found' });
    return;
  }
  try {
    const [status, body] = await route(url);
    reply(response, status, body);
  } catch (error) {
    reply(response, 500, { error: error instanceof Error ? error.message : String(error) });
  }
});

server.on('error', fail);
server.listen(httpPort, '127.0.0.1', () => {
  console.log(`[mail-catcher] SMTP at ${catcher.url}, control API at http://127.0.0.1:${httpPort}`);
});

// The test runner stops its steps with SIGINT, Playwright its webServers with SIGTERM.
let stopping = false;
for (const signal of ['SIGINT', 'SIGTERM']) {
  process.on(signal, async () => {
    if (stopping) return;
    stopping = true;
    // A client stalled in the middle of a message would hold the stop until its socket timeout.
    setTimeout(() => process.exit(1), 5_000).unref();
    server.close();
    server.closeAllConnections();
    await catcher.close();
    process.exit(0);
  });
}
