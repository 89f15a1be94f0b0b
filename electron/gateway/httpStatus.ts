/**
 * The HTTP status of a gateway reply, from the seed's "HTTP错误码" table (200, 204, 400, 401, 403,
 * 404, 408, 413, 500). The JSON body (return_code, return_msg, errorcode) is the same whatever the
 * status. 204 is never used: it cannot carry the body. docs/gateway-api.md "HTTP statuses".
 */
import { Codes } from '../../shared/codes';

const byCode: Record<number, number> = {
  [Codes.GW_INVALID_PARAM]: 400,
  [Codes.GW_BODY_INVALID]: 400,
  [Codes.GW_PROTOCOL_ERROR]: 400,
  [Codes.GW_APPID_UNKNOWN]: 401,
  [Codes.GW_SIGNATURE_FAILED]: 401,
  [Codes.GW_TIMESTAMP_INVALID]: 401,
  [Codes.GW_FILE_MISSING]: 404,
  [Codes.GW_TIMEOUT]: 408,
  [Codes.GW_OUT_OF_MEMORY]: 500,
  [Codes.GW_EXCEPTION]: 500,
};

export function httpStatusFor(code: number): number {
  return byCode[code] ?? (code >= 100701 && code <= 100799 ? 400 : 500);
}
