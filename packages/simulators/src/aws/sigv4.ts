/**
 * What the stand-in checks of Signature Version 4: an Authorization header of the documented form
 *
 *   AWS4-HMAC-SHA256 Credential=<key id>/<yyyymmdd>/<region>/<service>/aws4_request,
 *   SignedHeaders=<lower-case names joined by ;>, Signature=<64 hex digits>
 *
 * with an X-Amz-Date header of the same day among the signed headers. It does not recompute the
 * signature (tests use dummy credentials); the region and service come from the credential scope,
 * as AWS routes them.
 */
export interface SignatureScope {
  accessKeyId: string;
  region: string;
  service: string;
}

export type SignatureVerdict = { ok: true; scope: SignatureScope } | { ok: false; code: 'missing' | 'incomplete'; message: string };

const AUTHORIZATION =
  /^AWS4-HMAC-SHA256 Credential=([^/\s,]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request,\s*SignedHeaders=([a-z0-9;-]+),\s*Signature=([0-9a-f]{64})$/;

export function checkSignature(headers: Record<string, string | string[] | undefined>): SignatureVerdict {
  const authorization = headers.authorization;
  if (typeof authorization !== 'string' || authorization === '') {
    return { ok: false, code: 'missing', message: 'Request is missing Authentication Token' };
  }
  const match = AUTHORIZATION.exec(authorization);
  if (!match) {
    return {
      ok: false,
      code: 'incomplete',
      message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters (AWS4-HMAC-SHA256).",
    };
  }
  const [, accessKeyId = '', day = '', region = '', service = '', signedHeaders = ''] = match;
  const amzDate = headers['x-amz-date'];
  if (typeof amzDate !== 'string' || !/^\d{8}T\d{6}Z$/.test(amzDate)) {
    return { ok: false, code: 'incomplete', message: 'Authorization requires an X-Amz-Date header (yyyyMMddTHHmmssZ).' };
  }
  if (amzDate.slice(0, 8) !== day) {
    return { ok: false, code: 'incomplete', message: `Credential should be scoped to a valid date: ${day} is not ${amzDate.slice(0, 8)}.` };
  }
  const signed = signedHeaders.split(';');
  if (!signed.includes('host') || !signed.includes('x-amz-date')) {
    return { ok: false, code: 'incomplete', message: 'SignedHeaders must include host and x-amz-date.' };
  }
  return { ok: true, scope: { accessKeyId, region, service } };
}
