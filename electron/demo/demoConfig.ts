/**
 * A demo install's additions to the configuration, applied before the core starts: the bots as
 * directory users (random passwords, fresh at each start), guest login on, a seat time limit so
 * demo-stage's seats rotate, and a gateway app whose webhooks go to the built-in receiver.
 */
import { randomBytes } from 'node:crypto';
import type { LoadedConfig } from '../config/loadConfig';
import { DEMO_APP_ID, DEMO_BOTS, DEMO_SEAT_SECONDS } from './demoContent';

export interface DemoSecrets {
  botPassword: string;
  appMd5Key: string;
}

export function newDemoSecrets(): DemoSecrets {
  return { botPassword: randomBytes(12).toString('base64url'), appMd5Key: randomBytes(16).toString('hex') };
}

export function withDemoContent(config: LoadedConfig, secrets: DemoSecrets, webhookUrl: string): LoadedConfig {
  const taken = new Set(config.users.flatMap((u) => [u.userName, String(u.userId)]));
  const bots = DEMO_BOTS.filter((b) => !taken.has(b.userName) && !taken.has(String(b.userId))).map((b) => ({
    userName: b.userName,
    password: secrets.botPassword,
    userId: b.userId,
    level: 0,
    nickName: b.nickName,
  }));
  const app = config.apps.find((a) => a.appId === DEMO_APP_ID)
    ? []
    : [
        {
          appId: DEMO_APP_ID,
          md5Key: secrets.appMd5Key,
          rsaPublicKeyPem: null,
          callbackUrl: webhookUrl,
          timestampWindowSeconds: 300,
          timestampZone: null,
          downloadUrlSeconds: 3600,
          retry: { initialDelayMs: 2000, maxDelayMs: 60_000, maxAttempts: 5 },
          notifySignType: null,
          notifyMethods: null,
        },
      ];
  return {
    ...config,
    guestLogin: true,
    users: [...config.users, ...bots],
    apps: [...config.apps, ...app],
    rooms: { ...config.rooms, seatTimeLimitSeconds: config.rooms.seatTimeLimitSeconds || DEMO_SEAT_SECONDS },
  };
}
