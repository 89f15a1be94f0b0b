/**
 * Request bodies of the 13 gateway methods (seed tables), as zod schemas. Unknown fields are
 * ignored; a missing or wrong-typed field is 100701 naming the field. Limits from the seed:
 * userinfo_get ≤ 50 ids, filelist_get ≤ 30 per page, fileinfo_get ≤ 20 files, fileinfo_ctrl ≤ 30.
 */
import { z } from 'zod';
import { issuePath } from '../../shared/validation';

const int = z.number().int();
/** User ids: integers; the seed's own examples also send them as numeric strings ("100"). */
export const userId = z.union([
  int,
  z
    .string()
    .regex(/^-?\d{1,10}$/, 'expected an integer user id')
    .transform(Number),
]);
const ts = z.string().regex(/^\d{14}$/, 'expected yyyyMMddHHmmss');
const guid = z.string().min(1).max(64);
const intArray = z.array(int).max(1000);
/** Names (file names, object names, string user ids): control characters would match or store anything. */
// eslint-disable-next-line no-control-regex -- control characters are what this refuses
const noControlChars = (s: string) => !/[\u0000-\u001f\u007f]/.test(s);
const nameText = (max: number) => z.string().max(max).refine(noControlChars, 'control characters are not allowed');
/** The seed's string user id ("one of the two": userid or struserid). */
const strUserId = z.string().min(1).max(128).refine(noControlChars, 'control characters are not allowed');
const oneUser = <T extends { userid?: number; struserid?: string }>(b: T) => b.userid !== undefined || b.struserid !== undefined;
const oneUserMessage = { message: 'userid or struserid is required', path: ['userid'] };

export const MAX_USERINFO_IDS = 50;
export const MAX_PAGE_SIZE = 30;
export const MAX_FILEINFO_IDS = 20;
export const MAX_FILECTRL_IDS = 30;
export const MAX_TRANSBUFFER_BYTES = 8192;

export const requestSchemas = {
  online_useridlist_get: z.object({ userflags: int.min(0) }),
  userinfo_get: z.object({
    userscount: int.optional(),
    useridlist: z.array(userId).min(1).max(MAX_USERINFO_IDS, `at most ${MAX_USERINFO_IDS} ids`),
  }),
  object_idlist_get: z.object({ objecttype: int }),
  object_list_get: z.object({ objectguid: guid.optional(), objecttype: int }),
  object_info_get: z.object({ objectguid: guid }),
  object_status_get: z.object({ objectguid: guid, infotype: int, userid: userId.optional(), struserid: strUserId.optional(), objecttype: int.optional() }),
  filelist_get: z.object({
    pageindex: int.min(1),
    perpagecount: int.min(1).max(MAX_PAGE_SIZE, `at most ${MAX_PAGE_SIZE} per page`),
    begintime: ts.optional(),
    endtime: ts.optional(),
    filetype: int.min(0).max(7).optional(),
    userid: userId.optional(),
    struserid: strUserId.optional(),
    filename: nameText(200).optional(),
    filenamematch: z.union([z.literal(0), z.literal(1)]).optional(),
  }),
  fileinfo_get: z.object({
    activeseconds: int
      .min(1)
      .max(7 * 86_400)
      .optional(),
    filelist: z
      .array(z.object({ fileid: guid }))
      .min(1)
      .max(MAX_FILEINFO_IDS, `at most ${MAX_FILEINFO_IDS} files`),
  }),
  object_info_set: z.object({
    action: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    objectguid: guid.optional(),
    objectid: int.optional(),
    objecttype: int.optional(),
    parentobjectid: int.optional(),
    name: nameText(200).min(1).optional(),
    description: z.string().max(200).optional(),
    flags: int.optional(),
    priority: int.optional(),
    skillgroups: intArray.optional(),
    queuegroups: intArray.optional(),
    param: int.optional(),
    strparam: z.string().max(1000).optional(),
  }),
  userinfo_ctrl: z
    .object({
      userid: userId.optional(),
      struserid: strUserId.optional(),
      ctrlcode: int,
      ctrlvalue: z
        .union([z.string().max(1000), z.record(z.string(), z.unknown())])
        .nullable()
        .optional(),
    })
    .refine(oneUser, oneUserMessage),
  fileinfo_ctrl: z.object({
    ctrltype: z.union([z.literal(1), z.literal(2)]),
    filelist: z
      .array(z.object({ fileid: guid, renamefile: nameText(200).min(1).optional() }))
      .min(1)
      .max(MAX_FILECTRL_IDS, `at most ${MAX_FILECTRL_IDS} files`),
  }),
  transbuffer: z
    .object({
      userid: userId.optional(),
      struserid: strUserId.optional(),
      // The seed's 8192 is the length of databuf, the base64 text (about 6 KiB of data).
      databuf: z.string().min(1).max(MAX_TRANSBUFFER_BYTES, `at most ${MAX_TRANSBUFFER_BYTES} characters of base64`),
    })
    .refine(oneUser, oneUserMessage),
} as const;

export type GatewayMethod = keyof typeof requestSchemas;
export type RequestOf<M extends GatewayMethod> = z.infer<(typeof requestSchemas)[M]>;

export const gatewayMethods = Object.keys(requestSchemas) as GatewayMethod[];

/** userinfo_ctrl 11's ctrlvalue (the seed's example: {"flags":2,"priority":2,"skillgroups":[1,2]}). */
export const setUserObjectValue = z.object({
  flags: int.min(0),
  priority: int,
  skillgroups: intArray.optional(),
  queuegroups: intArray.optional(),
});

/** "field X: why" for the first issue (100701's message). */
export function describeIssue(error: z.ZodError, prefix = ''): string {
  const issue = error.issues[0];
  if (!issue) return 'invalid parameters';
  const field = prefix + issuePath(issue.path);
  const missing = issue.code === 'invalid_type' && /received undefined/.test(issue.message);
  return missing ? `field ${field} is required` : `field ${field}: ${issue.message}`;
}
