/**
 * Platform events → webhook notices (method name + body, field names exactly as the seed's tables;
 * the outbox adds `notifyid`). Times are `yyyyMMddHHmmss`.
 */
import type { AgentStatusChange } from '../queueing/SmartQueue';
import type { PlatformEvent } from './platformPort';

export const noticeMethods = [
  'userlogin_notify',
  'userlogout_notify',
  'recordsnapshot_notify',
  'transbuffer_notify',
  'agentstatus_notify',
  'transfile_notify',
  'videocall_notify',
  'textmsg_notify',
] as const;
export type NoticeMethod = (typeof noticeMethods)[number];

export interface Notice {
  method: NoticeMethod;
  body: Record<string, unknown>;
}

/** A user's string id (struserid) from its numeric id; the user name when no other is known. */
export type StrIdOf = (userId: number, userName: string) => string;

export function noticeForEvent(e: PlatformEvent, appId: string, fmt: (ms: number) => string, strId: StrIdOf = (_id, name) => name): Notice | null {
  switch (e.type) {
    case 'userLogin':
      return {
        method: 'userlogin_notify',
        body: {
          appguid: appId,
          userid: e.user.userId,
          struserid: e.user.strUserId ?? e.user.userName,
          username: e.user.userName,
          userlevel: e.user.userLevel,
          loginipaddr: e.user.loginIp,
          logintime: fmt(e.user.loginTime),
          strparam: e.user.strParam ?? '',
          userflags: 0,
        },
      };
    case 'userLogout':
      return {
        method: 'userlogout_notify',
        body: {
          appguid: appId,
          userid: e.userId,
          struserid: e.strUserId ?? strId(e.userId, e.userName),
          username: e.userName,
          errorcode: e.errorCode,
          logouttime: fmt(e.time),
        },
      };
    case 'recording':
      return {
        method: 'recordsnapshot_notify',
        body: {
          appguid: appId,
          callid: e.callId ?? '',
          recordid: e.recordId,
          recordfilename: e.filePath,
          recordtime: e.recordSeconds,
          flags: e.flags,
          recordserverid: e.recordServerId ?? '',
          param: e.param,
          strparam: e.strParam,
          userid: e.userId,
          struserid: strId(e.userId, e.userName),
          username: e.userName,
          errorcode: e.errorCode,
        },
      };
    case 'transBuffer': {
      const databuf = Buffer.from(e.data).toString('base64');
      return {
        method: 'transbuffer_notify',
        body: { appguid: appId, userid: e.userId, struserid: strId(e.userId, e.userName), username: e.userName, datasize: databuf.length, databuf },
      };
    }
    case 'fileReceived':
      return {
        method: 'transfile_notify',
        body: {
          appguid: appId,
          userid: e.userId,
          struserid: strId(e.userId, e.userName),
          username: e.userName,
          fileid: e.fileId,
          filename: e.fileName,
          pathname: e.pathName,
          filesize: e.fileSize,
          strparam: e.strParam,
        },
      };
    case 'videoCall':
      return {
        method: 'videocall_notify',
        body: {
          appguid: appId,
          eventtype: e.eventType,
          callid: e.callId,
          srcuserid: e.srcUserId,
          strsrcuserid: strId(e.srcUserId, e.srcUserName),
          srcusername: e.srcUserName,
          taruserid: e.tarUserId,
          strtaruserid: e.tarUserId === -1 || e.tarUserId === 0 ? '' : strId(e.tarUserId, e.tarUserName),
          tarusername: e.tarUserName,
          errorcode: e.errorCode,
          flags: e.flags,
          param: e.param,
          strparam: e.strParam,
        },
      };
    case 'textMessage':
      return {
        method: 'textmsg_notify',
        body: {
          appguid: appId,
          roomid: e.roomId,
          srcuserid: e.srcUserId,
          strsrcuserid: strId(e.srcUserId, e.srcUserName),
          srcusername: e.srcUserName,
          taruserid: e.tarUserId,
          strtaruserid: e.tarUserId === -1 || e.tarUserId === 0 ? '' : strId(e.tarUserId, e.tarUserName),
          tarusername: e.tarUserName,
          secret: e.secret ? 1 : 0,
          textmsg: e.text,
          msglen: Buffer.byteLength(e.text, 'utf8'),
        },
      };
    default:
      return null;
  }
}

export function agentStatusNotice(c: AgentStatusChange, appId: string, fmt: (ms: number) => string, strId: StrIdOf = (_id, name) => name): Notice {
  return {
    method: 'agentstatus_notify',
    body: { appguid: appId, userid: c.userId, struserid: strId(c.userId, c.userName), username: c.userName, agentstatus: c.status, changetime: fmt(c.time) },
  };
}
