/** Calls: the active list and the server's hang-up (videoCallControl finish, seed §6). */
import { Codes, CodedError } from '../../../shared/codes';
import { VideoCallEvent } from '../../sdk';
import { callIdOf } from '../toView';
import { clusterCallList } from './clusterHandlers';
import type { HandlerDeps, HandlerMap } from './types';

export function callsHandlers({ core, audited }: HandlerDeps) {
  const sdk = () => core.components.sdk;
  return {
    'calls:list': () => clusterCallList(core),
    'calls:hangup': ({ callId }, caller) =>
      audited(caller, 'calls:hangup', `call ${callId}`, { callId }, () => {
        const call = sdk()
          .listCalls()
          .find((c) => callIdOf(c) === callId);
        if (!call) throw new CodedError(Codes.NOT_FOUND, `call ${callId} is not active`);
        sdk().videoCallControl(VideoCallEvent.FINISH, call.callerId, 0);
        return {};
      }),
    'audit:list': ({ limit, beforeId }) => core.audit.list(limit ?? 100, beforeId),
  } satisfies HandlerMap;
}
