import { randomUUID } from 'node:crypto';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';

interface SendEmailRequest {
  FromEmailAddress?: string;
  Destination?: { ToAddresses?: string[] };
  Content?: {
    Simple?: {
      Subject?: { Data?: string };
      Body?: { Text?: { Data?: string } };
      Headers?: { Name?: string; Value?: string }[];
    };
  };
}

/**
 * SES (v2 SendEmail) on a local port: the mail sender makes the same SDK call as on AWS, and each
 * message lands in `<directory>` as one readable `.eml` file (headers, blank line, text).
 */
export async function startMailOutbox(options: { directory: string; log: (line: string) => void }) {
  mkdirSync(options.directory, { recursive: true });
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      if (request.method !== 'POST' || !request.url?.startsWith('/v2/email/outbound-emails')) {
        response.writeHead(404, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ message: `Not supported locally: ${request.method} ${request.url}` }));
        return;
      }
      const mail = JSON.parse(Buffer.concat(chunks).toString('utf8')) as SendEmailRequest;
      const messageId = randomUUID();
      const now = new Date();
      const to = mail.Destination?.ToAddresses ?? [];
      const subject = mail.Content?.Simple?.Subject?.Data ?? '';
      const file = path.join(
        options.directory,
        `${now.toISOString().replace(/[:.]/g, '-')}-${messageId}.eml`,
      );
      // Written aside, then renamed: whoever lists the outbox never reads half a mail.
      writeFileSync(
        `${file}.part`,
        [
          `From: ${mail.FromEmailAddress ?? ''}`,
          `To: ${to.join(', ')}`,
          `Subject: ${subject}`,
          `Date: ${now.toUTCString()}`,
          `Message-ID: <${messageId}@portail.local>`,
          ...(mail.Content?.Simple?.Headers ?? []).map((header) => `${header.Name}: ${header.Value}`),
          '',
          mail.Content?.Simple?.Body?.Text?.Data ?? '',
          '',
        ].join('\n'),
      );
      renameSync(`${file}.part`, file);
      options.log(`mail to ${to.join(', ')}: "${subject}" → ${file}`);
      response.writeHead(200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ MessageId: messageId }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
