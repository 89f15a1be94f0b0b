/**
 * The 13 gateway methods: each takes the validated body and returns the reply fields (besides
 * return_code / return_msg). Errors are CodedErrors (1007xx). Response field names follow the
 * seed's parameter tables.
 */
import type { Logger } from 'pino';
import { Codes, CodedError } from '../../shared/codes';
import { ObjectActions, ObjectTypes, objectTypeValues, ZERO_GUID } from '../queueing/constants';
import type { QueueObject } from '../queueing/QueueObjectStore';
import type { SmartQueue } from '../queueing/SmartQueue';
import type { PlatformFile, PlatformPort, PlatformUser } from './platformPort';
import { setUserObjectValue, describeIssue, type GatewayMethod, type RequestOf } from './requestSchemas';
import { addMonths, parseTimestamp, type TimestampZone } from './timestamp';

export interface MethodContext {
  appId: string;
  downloadUrlSeconds: number;
  platform: PlatformPort;
  queue: SmartQueue;
  zone: TimestampZone;
  fmt(ms: number): string;
  fileUrl(file: PlatformFile, seconds: number): Promise<string>;
  logger: Logger;
  /** A control that has not completed after this long answers 100709. */
  operationTimeoutMs: number;
}

type Reply = Record<string, unknown>;
type Handlers = { [M in GatewayMethod]: (ctx: MethodContext, body: RequestOf<M>) => Reply | Promise<Reply> };

const invalid = (msg: string) => new CodedError(Codes.GW_INVALID_PARAM, msg);

export function userInfo(ctx: MethodContext, u: PlatformUser): Reply {
  return {
    userid: u.userId,
    struserid: u.strUserId ?? u.userName,
    username: u.userName,
    userlevel: u.userLevel,
    loginip: u.loginIp,
    logintime: ctx.fmt(u.loginTime),
  };
}

function objectInfo(o: QueueObject): Reply {
  return {
    objectguid: o.objectguid,
    objectid: o.objectid,
    objecttype: o.objecttype,
    parentobjectid: o.parentobjectid,
    name: o.name,
    description: o.description,
    flags: o.flags,
    priority: o.priority,
    skillgroups: o.skillgroups,
    queuegroups: o.queuegroups,
    param: o.param,
    strparam: o.strparam,
  };
}

async function fileInfo(ctx: MethodContext, f: PlatformFile, seconds: number): Promise<Reply> {
  return {
    fileid: f.fileId,
    filename: f.fileName,
    filelength: f.fileLength,
    filetype: f.fileType,
    fileurl: await ctx.fileUrl(f, seconds),
    createtime: ctx.fmt(f.createTime),
    recordtime: f.recordSeconds,
    flags: f.flags,
    userid: f.userId,
    struserid: f.userId ? (ctx.platform.user(f.userId)?.strUserId ?? f.userName) : '',
    username: f.userName,
    useripaddr: f.userIp,
    param: f.param,
    strparam: f.strParam,
  };
}

/** The online user a request names by `userid` or `struserid` (the seed allows either). */
function targetUser(ctx: MethodContext, body: { userid?: number; struserid?: string }): number {
  if (body.userid !== undefined) return body.userid;
  const s = body.struserid!;
  const u = ctx.platform.onlineUsers().find((x) => (x.strUserId ?? x.userName) === s);
  if (!u) throw invalid(`field struserid: user ${s} is not online`);
  return u.userId;
}

/** Runs a control that waits on the platform; past the bound it answers 100709 (the control may still finish). */
async function withTimeout<T>(ctx: MethodContext, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CodedError(Codes.GW_TIMEOUT, `${what} did not complete within ${ctx.operationTimeoutMs} ms`)), ctx.operationTimeoutMs);
  });
  try {
    return await Promise.race([p, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

function findObject(ctx: MethodContext, guid: string, field = 'objectguid'): QueueObject {
  const o = ctx.queue.store.get(guid);
  if (!o) throw invalid(`field ${field}: no object ${guid}`);
  return o;
}

function checkObjectType(t: number, field = 'objecttype'): void {
  if (!objectTypeValues.includes(t)) throw invalid(`field ${field}: expected 4 (area), 5 (queue), 9 (skill) or 10 (queue group)`);
}

/** Objects "within" a parent: queues of an area; queues of a queue group; otherwise none. */
function childrenOf(ctx: MethodContext, parent: QueueObject): QueueObject[] {
  const store = ctx.queue.store;
  if (parent.objecttype === ObjectTypes.AREA) return store.ofType(ObjectTypes.QUEUE).filter((q) => q.parentobjectid === parent.objectid);
  if (parent.objecttype === ObjectTypes.QUEUE_GROUP)
    return parent.queuegroups.map((id) => store.byId(ObjectTypes.QUEUE, id)).filter((q): q is QueueObject => !!q);
  if (parent.objecttype === ObjectTypes.QUEUE) return parent.skillgroups.map((id) => store.byId(ObjectTypes.SKILL, id)).filter((q): q is QueueObject => !!q);
  return [];
}

export const methodHandlers: Handlers = {
  async online_useridlist_get(ctx, body) {
    // The flags may have been set through another node (a cluster's shared store).
    if (body.userflags !== 0) await ctx.queue.store.fresh();
    const users = ctx.platform.onlineUsers();
    const ids = users
      .filter((u) => body.userflags === 0 || (ctx.queue.userObject(u.userId).flags & body.userflags) === body.userflags)
      .map((u) => u.userId)
      .sort((a, b) => a - b);
    return { userscount: ids.length, useridlist: ids };
  },

  userinfo_get(ctx, body) {
    const list: Reply[] = [];
    for (const id of body.useridlist) {
      const u = ctx.platform.user(id);
      if (u) list.push(userInfo(ctx, u));
    }
    return { userscount: list.length, userinfolist: list };
  },

  async object_idlist_get(ctx, body) {
    if (body.objecttype !== -1) checkObjectType(body.objecttype);
    await ctx.queue.store.fresh();
    const objs = body.objecttype === -1 ? ctx.queue.store.all() : ctx.queue.store.ofType(body.objecttype);
    return { objectcount: objs.length, objectguids: objs.map((o) => o.objectguid) };
  },

  async object_list_get(ctx, body) {
    if (body.objecttype !== -1) checkObjectType(body.objecttype);
    await ctx.queue.store.fresh();
    const scoped = body.objectguid && body.objectguid !== ZERO_GUID ? childrenOf(ctx, findObject(ctx, body.objectguid)) : ctx.queue.store.all();
    const objs = scoped.filter((o) => body.objecttype === -1 || o.objecttype === body.objecttype);
    return {
      objectcount: objs.length,
      objectlist: objs.map((o) => ({ objectguid: o.objectguid, objecttype: o.objecttype, name: o.name, objectid: o.objectid, description: o.description })),
    };
  },

  async object_info_get(ctx, body) {
    await ctx.queue.store.fresh();
    return objectInfo(findObject(ctx, body.objectguid));
  },

  object_status_get(ctx, body) {
    const o = findObject(ctx, body.objectguid);
    const known = [401, 402, 403, 404, 405, 504, 601, 606];
    if (!known.includes(body.infotype)) throw invalid(`field infotype: expected one of ${known.join(', ')}`);
    if ((body.infotype === 601 || body.infotype === 606) && body.userid === undefined && body.struserid === undefined)
      throw invalid('field userid (or struserid) is required for infotype 601/606');
    const userid = body.userid !== undefined || body.struserid !== undefined ? targetUser(ctx, body) : undefined;
    const infovalue = ctx.queue.statusInfo(o, body.infotype, userid, (u) => userInfo(ctx, u));
    return {
      objectguid: o.objectguid,
      objecttype: o.objecttype,
      ...(userid !== undefined ? { userid, struserid: ctx.platform.user(userid)?.strUserId ?? body.struserid ?? '' } : {}),
      infotype: body.infotype,
      infovalue,
    };
  },

  async filelist_get(ctx, body) {
    const now = Date.now();
    const parse = (v: string | undefined, field: string): number | undefined => {
      if (v === undefined) return undefined;
      const ms = parseTimestamp(v, ctx.zone);
      if (ms === null) throw invalid(`field ${field}: not a valid yyyyMMddHHmmss time`);
      return ms;
    };
    let from = parse(body.begintime, 'begintime');
    let to = parse(body.endtime, 'endtime');
    // At most three months; a longer span is truncated to begin + 3 months (seed).
    if (from === undefined && to === undefined) {
      to = now;
      from = addMonths(now, -3, ctx.zone);
    } else if (from === undefined) from = addMonths(to!, -3, ctx.zone);
    else if (to === undefined) to = Math.min(now, addMonths(from, 3, ctx.zone));
    if (from > to!) throw invalid('field endtime: earlier than begintime');
    to = Math.min(to!, addMonths(from, 3, ctx.zone));
    const limit = body.perpagecount;
    const offset = (body.pageindex - 1) * limit;
    // struserid: the online user with that string id, else files kept under that user name.
    let byName: string | undefined;
    let userId = body.userid;
    if (userId === undefined && body.struserid !== undefined) {
      const u = ctx.platform.onlineUsers().find((x) => (x.strUserId ?? x.userName) === body.struserid);
      if (u) userId = u.userId;
      else byName = body.struserid;
    }
    const { total, files } = await ctx.platform.files.query({
      fromMs: from,
      toMs: to,
      typeMask: body.filetype && body.filetype !== 0 ? body.filetype : 7,
      userId,
      userName: byName,
      fileName: body.filename && body.filename.length > 0 ? body.filename : undefined,
      exactName: body.filenamematch === 1,
      offset,
      limit,
    });
    return {
      pagecount: Math.ceil(total / limit),
      pageindex: body.pageindex,
      totalcount: total,
      filecount: files.length,
      filelist: await Promise.all(files.map((f) => fileInfo(ctx, f, ctx.downloadUrlSeconds))),
    };
  },

  async fileinfo_get(ctx, body) {
    const seconds = body.activeseconds ?? ctx.downloadUrlSeconds;
    const out: Reply[] = [];
    for (const { fileid } of body.filelist) {
      const f = await ctx.platform.files.get(fileid);
      if (!f) throw new CodedError(Codes.GW_FILE_MISSING, `file ${fileid} does not exist`);
      out.push(await fileInfo(ctx, f, seconds));
    }
    return { filecount: out.length, filelist: out };
  },

  async object_info_set(ctx, body) {
    const store = ctx.queue.store;
    await store.fresh();
    const fields = {
      parentobjectid: body.parentobjectid,
      name: body.name,
      description: body.description,
      flags: body.flags,
      priority: body.priority,
      skillgroups: body.skillgroups,
      queuegroups: body.queuegroups,
      param: body.param,
      strparam: body.strparam,
    };
    if (body.action === ObjectActions.CREATE) {
      if (body.objecttype === undefined) throw invalid('field objecttype is required to create');
      checkObjectType(body.objecttype);
      if (body.objectid === undefined) throw invalid('field objectid is required to create');
      if (body.name === undefined) throw invalid('field name is required to create');
      if (
        body.objecttype === ObjectTypes.QUEUE &&
        body.parentobjectid !== undefined &&
        body.parentobjectid !== 0 &&
        !store.byId(ObjectTypes.AREA, body.parentobjectid)
      )
        throw invalid(`field parentobjectid: no service area ${body.parentobjectid}`);
      const conflict = () => invalid(`field objectid: object ${body.objecttype}/${body.objectid} already exists`);
      if (store.byId(body.objecttype, body.objectid)) throw conflict();
      let o: QueueObject;
      try {
        o = await store.create({ ...fields, objecttype: body.objecttype, objectid: body.objectid, name: body.name });
      } catch (err) {
        // Another request created the same id in between: still the real conflict.
        if (store.byId(body.objecttype, body.objectid)) throw conflict();
        throw storeFailure(ctx, err, 'create');
      }
      ctx.queue.emit('changed', { reason: 'objectCreated' });
      return { objectguid: o.objectguid };
    }
    if (!body.objectguid) throw invalid('field objectguid is required to delete or modify');
    const cur = findObject(ctx, body.objectguid);
    if (body.action === ObjectActions.DELETE) {
      await store.delete(cur.objectguid);
      ctx.queue.objectDeleted(cur);
      return {};
    }
    if (body.objecttype !== undefined && body.objecttype !== cur.objecttype) throw invalid('field objecttype: an object keeps its type');
    const conflict = () => invalid(`field objectid: object ${cur.objecttype}/${body.objectid} already exists`);
    if (body.objectid !== undefined && body.objectid !== cur.objectid && store.byId(cur.objecttype, body.objectid)) throw conflict();
    try {
      await store.modify(cur.objectguid, { ...fields, objectid: body.objectid });
    } catch (err) {
      if (body.objectid !== undefined && body.objectid !== cur.objectid && store.byId(cur.objecttype, body.objectid)) throw conflict();
      throw storeFailure(ctx, err, 'modify');
    }
    ctx.queue.emit('changed', { reason: 'objectModified' });
    ctx.queue.dispatch();
    return {};
  },

  async userinfo_ctrl(ctx, body) {
    const userid = targetUser(ctx, body);
    if (body.ctrlcode === 1) {
      if (!(await withTimeout(ctx, `kicking user ${userid}`, ctx.platform.kick(userid)))) throw invalid(`field userid: user ${userid} is not online`);
      return {};
    }
    if (body.ctrlcode === 11) {
      let value: unknown = body.ctrlvalue;
      if (typeof value === 'string') {
        try {
          value = JSON.parse(value);
        } catch {
          throw invalid('field ctrlvalue: not a JSON object');
        }
      }
      const parsed = setUserObjectValue.safeParse(value);
      if (!parsed.success) throw invalid(describeIssue(parsed.error, 'ctrlvalue.'));
      const cur = ctx.queue.userObject(userid);
      ctx.queue.setUserObject({
        userId: userid,
        flags: parsed.data.flags,
        priority: parsed.data.priority,
        skillgroups: parsed.data.skillgroups ?? cur.skillgroups,
        queuegroups: parsed.data.queuegroups ?? cur.queuegroups,
      });
      // Written before the reply: a read through another node sees it.
      await ctx.queue.store.settled();
      return {};
    }
    throw invalid('field ctrlcode: expected 1 (kick) or 11 (set user object)');
  },

  async fileinfo_ctrl(ctx, body) {
    const results: Reply[] = [];
    for (const item of body.filelist) {
      let ok: boolean;
      if (body.ctrltype === 1) ok = await ctx.platform.files.delete(item.fileid);
      else {
        if (!item.renamefile) {
          results.push({ fileid: item.fileid, errorcode: Codes.GW_INVALID_PARAM });
          continue;
        }
        if (/[\\/]/.test(item.renamefile)) {
          results.push({ fileid: item.fileid, errorcode: Codes.GW_INVALID_PARAM });
          continue;
        }
        ok = await ctx.platform.files.rename(item.fileid, item.renamefile);
      }
      results.push({ fileid: item.fileid, errorcode: ok ? 0 : Codes.GW_FILE_MISSING });
    }
    if (results.every((r) => r.errorcode !== 0)) {
      const code = results.every((r) => r.errorcode === Codes.GW_FILE_MISSING) ? Codes.GW_FILE_MISSING : Codes.GW_INVALID_PARAM;
      throw new CodedError(code, code === Codes.GW_FILE_MISSING ? 'no such file' : 'field filelist[].renamefile: a plain file name is required', {
        filecount: results.length,
        filelist: results,
      });
    }
    return { filecount: results.length, filelist: results };
  },

  transbuffer(ctx, body) {
    const s = body.databuf;
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(s) || s.length % 4 !== 0) throw invalid('field databuf: not base64');
    // The schema already caps the base64 text at MAX_TRANSBUFFER_BYTES characters (the seed's 8192).
    const data = Buffer.from(s, 'base64');
    const userid = targetUser(ctx, body);
    if (!ctx.platform.transBuffer(userid, data)) throw invalid(`field userid: user ${userid} is not online`);
    return {};
  },
};

/** A store failure (disk full, I/O error…) is 100707 with a log line, never "already exists". */
function storeFailure(ctx: MethodContext, err: unknown, what: string): CodedError {
  ctx.logger.error({ err }, `gateway: object_info_set could not ${what} the object`);
  const full = err instanceof Error && /SQLITE_FULL|database or disk is full/i.test(`${(err as { code?: string }).code ?? ''} ${err.message}`);
  return new CodedError(Codes.GW_EXCEPTION, full ? 'the store is full (no space left on the disk)' : 'the store failed; see the host log');
}
