// A webhook receiver as a Retouch user would write one: every request is checked with the public
// standardwebhooks library, never with Retouch's code. It records what it verified and can be told,
// through POST /control {"status", "delay_ms"}, to answer another status or to answer late.
//
//   node receiver.mjs <port> <whsec_ secret>
//   GET /received -> {"verified": [{"id", "type", "job"}], "rejected": n}
import http from "node:http";
import { Webhook } from "standardwebhooks";

const [port, secret] = process.argv.slice(2);
const webhook = new Webhook(secret);
const verified = [];
let rejected = 0;
let mode = { status: 204, delay_ms: 0 };

function reply(res, status, body = "") {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(body);
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on("data", (chunk) => chunks.push(chunk));
  req.on("end", () => {
    const body = Buffer.concat(chunks);
    if (req.method === "GET" && req.url === "/received") {
      return reply(res, 200, JSON.stringify({ verified, rejected }));
    }
    if (req.method === "POST" && req.url === "/control") {
      mode = { ...mode, ...JSON.parse(body.toString("utf8")) };
      return reply(res, 200, JSON.stringify(mode));
    }
    if (mode.status >= 300) {
      return reply(res, mode.status, JSON.stringify({ error: "unavailable" }));
    }
    let event;
    try {
      event = webhook.verify(body, req.headers);
    } catch (e) {
      rejected++;
      return reply(res, 400, JSON.stringify({ error: String(e) }));
    }
    verified.push({ id: req.headers["webhook-id"], type: event.type, job: event.data.id });
    setTimeout(() => reply(res, mode.status), mode.delay_ms);
  });
});

server.listen(Number(port), "127.0.0.1", () => console.log(`listening on ${port}`));
