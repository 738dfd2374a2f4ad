// A loopback server that speaks enough of the S3 REST protocol for @aws-sdk/client-s3 (decision 093):
// path-style PUT, GET, HEAD and DELETE of objects in one bucket, aws-chunked uploads decoded, XML
// errors (NoSuchKey) as S3 sends them, and the request's SigV4 credential checked by access key id.
// Binds 127.0.0.1 on a free port; stopped by the handle it returns. Objects live in memory.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackS3 {
  url: string;
  bucket: string;
  accessKeyId: string;
  secretAccessKey: string;
  objects: Map<string, Buffer>;
  /** Every request as "METHOD /path" (tests assert what the SDK did). */
  log: string[];
  stop(): Promise<void>;
}

function xmlError(res: http.ServerResponse, status: number, code: string, message: string, resource: string) {
  const body = `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message><Resource>${resource}</Resource><RequestId>loopback</RequestId></Error>`;
  res.writeHead(status, { 'content-type': 'application/xml', 'content-length': Buffer.byteLength(body), 'x-amz-request-id': 'loopback' });
  res.end(body);
}

/** Decodes an aws-chunked body: "<hex size>;chunk-signature=…\r\n<data>\r\n" … "0;…\r\n" [trailers] "\r\n". */
export function decodeAwsChunked(raw: Buffer): Buffer {
  const parts: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at);
    if (lineEnd < 0) throw new Error('aws-chunked: no chunk header');
    const size = parseInt(raw.subarray(at, lineEnd).toString('latin1').split(';')[0], 16);
    if (!Number.isFinite(size)) throw new Error('aws-chunked: bad chunk size');
    at = lineEnd + 2;
    if (size === 0) return Buffer.concat(parts);
    parts.push(raw.subarray(at, at + size));
    at += size + 2;
  }
}

export async function startLoopbackS3(options: { bucket?: string; accessKeyId?: string; secretAccessKey?: string } = {}): Promise<LoopbackS3> {
  const bucket = options.bucket ?? 'exports';
  const accessKeyId = options.accessKeyId ?? 'LOOPBACKKEY';
  const secretAccessKey = options.secretAccessKey ?? 'loopback-secret-key-0123456789';
  const objects = new Map<string, Buffer>();
  const log: string[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://loopback');
      log.push(`${req.method} ${url.pathname}`);
      const auth = String(req.headers.authorization ?? '');
      if (!auth.startsWith('AWS4-HMAC-SHA256 ') || !auth.includes(`Credential=${accessKeyId}/`)) {
        return xmlError(res, 403, 'InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', url.pathname);
      }
      const [, b, ...rest] = url.pathname.split('/');
      const key = decodeURIComponent(rest.join('/'));
      if (b !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist', url.pathname);
      if (!key) return xmlError(res, 400, 'InvalidRequest', 'Only object requests are served', url.pathname);
      const object = objects.get(key);
      switch (req.method) {
        case 'PUT': {
          let body: Buffer = Buffer.concat(chunks);
          const sha = String(req.headers['x-amz-content-sha256'] ?? '');
          if (sha.startsWith('STREAMING-') || String(req.headers['content-encoding'] ?? '').includes('aws-chunked')) body = decodeAwsChunked(body);
          const declared = req.headers['x-amz-decoded-content-length'];
          if (declared !== undefined && Number(declared) !== body.length)
            return xmlError(res, 400, 'IncompleteBody', 'Body shorter than declared', url.pathname);
          objects.set(key, body);
          res.writeHead(200, { etag: `"${createHash('md5').update(body).digest('hex')}"`, 'content-length': 0 });
          return res.end();
        }
        case 'GET':
        case 'HEAD': {
          if (!object) {
            if (req.method === 'HEAD') {
              res.writeHead(404, { 'content-length': 0 });
              return res.end();
            }
            return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.', url.pathname);
          }
          res.writeHead(200, {
            'content-type': 'application/octet-stream',
            'content-length': object.length,
            etag: `"${createHash('md5').update(object).digest('hex')}"`,
            'last-modified': new Date().toUTCString(),
          });
          return res.end(req.method === 'GET' ? object : undefined);
        }
        case 'DELETE':
          objects.delete(key);
          res.writeHead(204);
          return res.end();
        default:
          return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.', url.pathname);
      }
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bucket,
    accessKeyId,
    secretAccessKey,
    objects,
    log,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
