/** Gateway and Queues screens: apps and keys, the notice outbox, delivery log, re-send, queue state. */
import type { HandlerDeps, HandlerMap } from './types';

export function gatewayHandlers({ core, audited }: HandlerDeps) {
  const gw = () => core.components.gateway;
  return {
    'gateway:overview': async () => ({
      apps: gw().appsInfo(),
      serverPublicKeyPem: gw().serverPublicKeyPem,
      outbox: await gw().outboxDepth(),
      requests: gw().requestStats(),
    }),
    'gateway:outbox': (filter) => gw().outboxEntries(filter),
    'gateway:deliveryLog': (filter) => gw().deliveryLog(filter),
    'gateway:resendDead': (sel, caller) =>
      audited(
        caller,
        'gateway:resendDead',
        sel.notifyId ? `notice ${sel.notifyId}` : sel.appId ? `app ${sel.appId}` : 'all dead notices',
        { ...sel },
        async () => ({
          resent: await gw().resendDead(sel),
        }),
      ),
    'queues:snapshot': () => gw().queueSnapshot(),
  } satisfies HandlerMap;
}
