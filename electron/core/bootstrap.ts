/**
 * Starts the whole server side for either shell: config → logger → core → console service and
 * the web console's sign-in + socket routes. The Electron main process and the headless host
 * both call this; only what they put on top differs (a window vs. a printed URL).
 */
import type { Logger } from 'pino';
import { loadConfig, parseCliArgs, type LoadedConfig } from '../config/loadConfig';
import { DemoInstall } from '../demo/DemoInstall';
import { ConsoleSocket } from '../host/consoleSocket';
import { HostAllowlist } from '../host/hostAllowlist';
import { mountSignInRoutes } from '../host/signInRoutes';
import { ConsoleService } from '../ipc/ConsoleService';
import { createLogger } from '../log/logger';
import { Core } from './Core';

export interface RunningApp {
  core: Core;
  service: ConsoleService;
  config: LoadedConfig;
  logger: Logger;
  url: string;
  /** Graceful stop: idempotent; resolves once every component is closed and logs are flushed. */
  stop(): Promise<void>;
}

export async function bootstrap(opts: { argv: readonly string[]; rendererDir: string; cwd?: string }): Promise<RunningApp> {
  const loaded = loadConfig(parseCliArgs(opts.argv), opts.cwd);
  const appLogger = createLogger({ dataDir: loaded.dataDir, level: loaded.log.level, maxSizeMb: loaded.log.maxSizeMb, maxFiles: loaded.log.maxFiles });
  const logger = appLogger.logger;
  if (loaded.unknownEnv) logger.warn({ variables: loaded.unknownEnv }, 'ANYCHAT_ environment variables that name no configuration key were ignored');
  // A demo install adds its bots, guest login and webhook app to the configuration first.
  const demo = loaded.demo ? await DemoInstall.prepare(loaded, logger.child({ component: 'demo' })) : null;
  const config = demo?.config ?? loaded;
  const core = await Core.create({ config, logger, rendererDir: opts.rendererDir, demo });
  let url: string;
  try {
    url = await core.start();
  } catch (err) {
    await core.stop();
    await demo?.stop();
    await appLogger.flush();
    throw err;
  }
  // The console service reads the running components, so it comes after start; its routes are
  // looked up per request, so mounting them now is safe.
  const service = new ConsoleService(core);
  const hosts = new HostAllowlist({
    listenHost: config.listen.host,
    port: Number(new URL(url).port),
    extraNames: [
      ...config.console.allowedHosts,
      ...(config.media.announcedIp ? [config.media.announcedIp] : []),
      ...(config.gateway.publicBaseUrl ? [new URL(config.gateway.publicBaseUrl).hostname] : []),
    ],
  });
  const consoleSocket = new ConsoleSocket(service, core.operatorAuth, logger.child({ component: 'console-socket' }), hosts);
  mountSignInRoutes(core.http, core.operatorAuth, logger.child({ component: 'sign-in' }), hosts);
  core.http.upgrade('/console/ws', consoleSocket.handleUpgrade);
  // Console sockets close last, so operators watch every component stop.
  core.onFinalClose(() => {
    consoleSocket.close();
    service.close();
  });
  let stopping: Promise<void> | null = null;
  return {
    core,
    service,
    config,
    logger,
    url,
    stop() {
      stopping ??= (async () => {
        await core.stop();
        await appLogger.flush();
      })();
      return stopping;
    },
  };
}
