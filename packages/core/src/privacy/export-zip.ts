import { PassThrough, type Readable } from 'node:stream';
import type { DataExport } from '@drop/contracts';
import type { DbClient } from '@drop/db';
import { Zip, ZipDeflate, ZipPassThrough } from 'fflate';
import { buildReceipt, type Company } from '../receipts/build-receipt.ts';

/**
 * The data export as a ZIP archive (`GET /api/user/data-export?format=zip`): `data.json` (the
 * same document as the JSON export) and `receipts/<file>.pdf` for each paid-out transfer.
 *
 * Streamed: the archive is written while the receipts are rendered one at a time, and the next
 * one is rendered only once the client has taken the previous (the stream's back-pressure), so a
 * customer with hundreds of transfers neither holds every PDF in memory nor keeps the event loop
 * busy for long. PDFs are stored, not deflated (they are compressed already). fflate: pure
 * JavaScript, no dependencies, no install scripts.
 */
export function streamDataExportZip(db: DbClient, input: { data: DataExport; userId: string; company: Company }): Readable {
  const out = new PassThrough();
  const zip = new Zip((error, chunk, final) => {
    if (error) {
      out.destroy(error);
      return;
    }
    out.write(chunk);
    if (final) out.end();
  });
  const drained = () => (out.writableNeedDrain ? new Promise<void>((resolve) => out.once('drain', resolve)) : Promise.resolve());

  const write = async () => {
    const json = new ZipDeflate('data.json', { level: 6 });
    zip.add(json);
    json.push(new TextEncoder().encode(`${JSON.stringify(input.data, null, 2)}\n`), true);
    for (const transfer of input.data.transfers) {
      if (transfer.status !== 'paid_out') continue;
      await drained();
      if (out.destroyed) return;
      const receipt = await buildReceipt(db, { userId: input.userId, transactionId: transfer.id, company: input.company });
      const file = new ZipPassThrough(`receipts/${receipt.fileName}`);
      zip.add(file);
      file.push(receipt.pdf, true);
    }
    zip.end();
  };
  write().catch((error: unknown) => out.destroy(error instanceof Error ? error : new Error(String(error))));
  return out;
}
