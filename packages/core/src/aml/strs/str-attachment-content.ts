import { DomainError } from '../../errors.ts';

/** The largest supporting document an STR takes: Altinn's attachments are small scans and extracts. */
export const STR_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024;

/** What an STR may carry, by the type's essence: documents, scans and statement extracts. */
export const STR_ATTACHMENT_TYPES = ['application/pdf', 'image/png', 'image/jpeg', 'text/csv', 'text/plain'] as const;
export type StrAttachmentType = (typeof STR_ATTACHMENT_TYPES)[number];

/** How a PDF, PNG and JPEG file begins: the declared type must be what the bytes are. */
const SIGNATURES: Partial<Record<StrAttachmentType, Buffer>> = {
  'application/pdf': Buffer.from('%PDF-', 'latin1'),
  'image/png': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  'image/jpeg': Buffer.from([0xff, 0xd8, 0xff]),
};

/** `text/plain; charset=utf-8` → `text/plain`; null when it is not one Drop takes. */
export function strAttachmentTypeOf(declared: string | undefined): StrAttachmentType | null {
  const essence = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  return (STR_ATTACHMENT_TYPES as readonly string[]).includes(essence) ? (essence as StrAttachmentType) : null;
}

/**
 * Refuses content that is not what its type says (STR_ATTACHMENT_INVALID): a PDF, PNG or JPEG
 * must begin with its signature, and CSV or text must be UTF-8 without NUL bytes. The type is
 * sent with the file and shown to whoever opens it, so a renamed executable or HTML page is not
 * stored under an innocent type.
 */
export function checkStrAttachmentContent(type: StrAttachmentType, content: Buffer): void {
  if (content.length === 0) throw new DomainError('STR_ATTACHMENT_INVALID', 'The file is empty.', { contentType: type });
  const signature = SIGNATURES[type];
  if (signature) {
    if (!content.subarray(0, signature.length).equals(signature)) {
      throw new DomainError('STR_ATTACHMENT_INVALID', `The file is not a ${type} file: its content does not match its type.`, {
        contentType: type,
      });
    }
    return;
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(content);
  } catch {
    throw new DomainError('STR_ATTACHMENT_INVALID', 'A text or CSV file must be UTF-8.', { contentType: type });
  }
  if (text.includes('\u0000'))
    throw new DomainError('STR_ATTACHMENT_INVALID', 'A text or CSV file has no NUL bytes.', { contentType: type });
}

/**
 * A file name safe to store and to send back in Content-Disposition: the last path segment only,
 * no control characters, quotes or separators, letters (also æøå), digits and `._-() ` kept, at
 * most 120 characters with the extension kept. Empty after that: "vedlegg".
 */
export function sanitiseStrAttachmentName(name: string | undefined): string {
  const last = (name ?? '').split(/[/\\]/).at(-1) ?? '';
  const cleaned = last
    .normalize('NFC')
    .replace(/[^\p{L}\p{N}._\-() ]+/gu, '_')
    .replace(/\s+/g, ' ')
    .replace(/_+/g, '_')
    .replace(/^[\s.]+|[\s.]+$/g, '');
  if (cleaned.length === 0) return 'vedlegg';
  if (cleaned.length <= 120) return cleaned;
  const dot = cleaned.lastIndexOf('.');
  const extension = dot > 0 && cleaned.length - dot <= 10 ? cleaned.slice(dot) : '';
  return cleaned.slice(0, 120 - extension.length) + extension;
}
