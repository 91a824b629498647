/**
 * Graceful shutdown (issue #14 item 8): the real server process (`node --import tsx
 * src/server.ts`) gets SIGTERM while a keep-alive client holds an idle connection and another
 * request is still arriving. The idle connection is closed at once, the request in flight is
 * answered with `Connection: close`, and the process exits 0 well within its grace period.
 */
import fs from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { startServer, type ServerProcess } from "../../scripts/crash/server-process.js";

const PROJECT_ROOT = fileURLToPath(new URL("../..", import.meta.url));
const ADMIN_KEY = "shutdown-test-admin-key-0123456789";
/** src/server.ts forces an exit (code 1) after this long. */
const GRACE_MS = 10_000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), "motcua-shutdown-"));
let server: ServerProcess | undefined;
afterAll(async () => {
  if (server) await server.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  socket: import("node:net").Socket;
}

function answerOf(request: http.ClientRequest): Promise<Answer> {
  return new Promise((resolve, reject) => {
    request.once("error", reject);
    request.once("response", (response) => {
      // Taken now: a keep-alive agent takes the socket back into its pool at the end of the answer.
      const socket = response.socket;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => (body += chunk));
      response.once("end", () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body, socket }));
    });
  });
}

describe("SIGTERM", () => {
  it("closes idle keep-alive connections, answers the request in flight with Connection: close, and exits 0 within the grace period", async () => {
    server = await startServer({ projectRoot: PROJECT_ROOT, dbFile: path.join(dir, "motcua.db"), adminKey: ADMIN_KEY, readyTimeoutMs: 60_000 });
    const url = new URL(server.baseUrl);
    const target = { host: url.hostname, port: Number(url.port) };

    // A keep-alive client whose connection now sits idle in its pool.
    const idleAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const idle = await answerOf(http.get({ ...target, path: "/healthz", agent: idleAgent }));
    expect(idle.status).toBe(200);
    expect(idle.headers.connection).toBe("keep-alive");
    const idleClosed = new Promise<number>((resolve) => idle.socket.once("close", () => resolve(performance.now())));

    // A request in flight: headers sent, half of the body still to come.
    const busyAgent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const body = JSON.stringify({ name: "Sở Tư pháp tỉnh Hưng Yên" });
    const bytes = Buffer.from(body);
    const inFlight = http.request({
      ...target,
      agent: busyAgent,
      method: "PUT",
      path: "/v1/agencies/SHUTDOWN.1",
      headers: { authorization: `Bearer ${ADMIN_KEY}`, "content-type": "application/json", "content-length": bytes.length },
    });
    const answered = answerOf(inFlight);
    inFlight.write(bytes.subarray(0, 10));
    await new Promise((resolve) => setTimeout(resolve, 300)); // the server has the headers

    const signalled = performance.now();
    const exited = server.stop();
    await new Promise((resolve) => setTimeout(resolve, 300));
    inFlight.end(bytes.subarray(10));

    const answer = await answered;
    expect(answer.status, answer.body).toBe(201);
    expect(answer.headers.connection).toBe("close");
    expect((await idleClosed) - signalled).toBeLessThan(2_000);
    const code = await exited;
    const elapsed = performance.now() - signalled;
    expect(code).toBe(0);
    expect(elapsed).toBeLessThan(GRACE_MS / 2);
    console.info(`SIGTERM -> exit 0 in ${Math.round(elapsed)} ms (grace ${GRACE_MS} ms)`);
    idleAgent.destroy();
    busyAgent.destroy();
    server = undefined;
  }, 90_000);
});
