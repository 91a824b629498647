/**
 * Graceful shutdown, the HTTP part (server.ts sends app.close() on SIGTERM): Fastify closes idle
 * keep-alive connections at once (forceCloseConnections "idle") and answers requests arriving on
 * busy ones with 503 + Connection: close; but an answer to a request already in flight would say
 * keep-alive, and the client would send its next request on a socket about to close. From the
 * moment closing starts, every answer says `Connection: close`, so Node ends the socket after it
 * and keep-alive clients reconnect elsewhere (to the next instance, behind a load balancer).
 */
import type { FastifyInstance } from "fastify";

export function registerGracefulClose(app: FastifyInstance): void {
  let closing = false;
  app.addHook("preClose", (done) => {
    closing = true;
    done();
  });
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (closing) reply.header("connection", "close");
    done(null, payload);
  });
}
