/**
 * TEST-ONLY signaling harness: an HTTP page server + WebSocket JSON-RPC that maps a tiny protocol
 * straight onto the media API (MediaNode / Router / WebRtcTransport / Producer / Consumer) the way
 * the product's signaling server will. Not part of the product.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Consumer, MediaNode, Producer, Router, WebRtcTransport } from '../../electron/media/index';

export interface Harness {
  url: string;
  wsUrl: string;
  router: Router;
  producers: Map<string, Producer>;
  consumers: Map<string, Consumer>;
  close(): Promise<void>;
}

export async function startHarness(node: MediaNode, page: { html: string; js: string }): Promise<Harness> {
  const router = await node.createRouter({ test: true });
  const transports = new Map<string, WebRtcTransport>();
  const producers = new Map<string, Producer>();
  const consumers = new Map<string, Consumer>();
  const http: Server = createServer((req, res) => {
    if (req.url === '/client.js') {
      res.writeHead(200, { 'content-type': 'text/javascript' });
      res.end(page.js);
    } else {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(page.html);
    }
  });
  const wss = new WebSocketServer({ server: http });
  wss.on('connection', (ws: WebSocket) => {
    const notify = (notification: string, data: unknown) => ws.readyState === ws.OPEN && ws.send(JSON.stringify({ notification, data }));
    ws.on('message', async (raw) => {
      const { id, method, data } = JSON.parse(String(raw));
      try {
        let result: unknown = {};
        switch (method) {
          case 'getRouterRtpCapabilities':
            result = router.rtpCapabilities;
            break;
          case 'createTransport': {
            const t = await router.createWebRtcTransport({ appData: { direction: data.direction } });
            transports.set(t.id, t);
            result = { id: t.id, iceParameters: t.iceParameters, iceCandidates: t.iceCandidates, dtlsParameters: t.dtlsParameters };
            break;
          }
          case 'connect':
            await transports.get(data.transportId)!.connect({ dtlsParameters: data.dtlsParameters });
            break;
          case 'restartIce':
            result = { iceParameters: await transports.get(data.transportId)!.restartIce() };
            break;
          case 'produce': {
            const p = await transports.get(data.transportId)!.produce({ kind: data.kind, rtpParameters: data.rtpParameters, appData: data.appData });
            producers.set(p.id, p);
            result = { id: p.id };
            break;
          }
          case 'consume': {
            if (!router.canConsume({ producerId: data.producerId, rtpCapabilities: data.rtpCapabilities })) throw new Error('cannot consume');
            const c = await transports.get(data.transportId)!.consume({ producerId: data.producerId, rtpCapabilities: data.rtpCapabilities, paused: true });
            consumers.set(c.id, c);
            c.on('producerclose', () => notify('producerClosed', { consumerId: c.id, producerId: c.producerId }));
            result = { id: c.id, producerId: c.producerId, kind: c.kind, rtpParameters: c.rtpParameters };
            break;
          }
          case 'resumeConsumer':
            await consumers.get(data.consumerId)!.resume();
            break;
          case 'pauseProducer':
            await producers.get(data.producerId)!.pause();
            break;
          case 'closeProducer':
            producers.get(data.producerId)!.close();
            break;
          default:
            throw new Error(`unknown method ${method}`);
        }
        ws.send(JSON.stringify({ id, data: result }));
      } catch (e) {
        ws.send(JSON.stringify({ id, error: (e as Error).message }));
      }
    });
  });
  await new Promise<void>((r) => http.listen(0, '127.0.0.1', r));
  const port = (http.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    wsUrl: `ws://127.0.0.1:${port}/`,
    router,
    producers,
    consumers,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise((r) => wss.close(r));
      await new Promise((r) => http.close(r));
      router.close();
    },
  };
}

/** Bundle page/client.js (with mediasoup-client) using Vite's JS API, in memory. */
export async function buildPage(): Promise<{ html: string; js: string }> {
  const { build } = await import('vite');
  const { fileURLToPath } = await import('node:url');
  const entry = fileURLToPath(new URL('./page/client.js', import.meta.url));
  const out = (await build({
    configFile: false,
    logLevel: 'silent',
    root: fileURLToPath(new URL('../..', import.meta.url)),
    build: {
      write: false,
      minify: false,
      target: 'es2022',
      rollupOptions: { input: entry, output: { format: 'es', entryFileNames: 'client.js', inlineDynamicImports: true } },
    },
  })) as { output: { type: string; fileName: string; code?: string }[] } | { output: { type: string; fileName: string; code?: string }[] }[];
  const outputs = Array.isArray(out) ? out : [out];
  const chunk = outputs.flatMap((o) => o.output).find((c) => c.type === 'chunk' && c.fileName === 'client.js');
  if (!chunk?.code) throw new Error('page bundle failed');
  return {
    js: chunk.code,
    html: '<!doctype html><html><head><meta charset="utf-8"><title>media e2e</title></head><body><script type="module" src="/client.js"></script></body></html>',
  };
}
