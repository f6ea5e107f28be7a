import type { FastifyInstance } from "fastify";

/**
 * Inside the webhook routes' plugin scope only: keep request bodies as they
 * came. WhatsApp signs the exact JSON bytes (parsing and re-serializing would
 * change them), and Twilio's form body is not parsed by Fastify at all. JSON
 * arrives as a Buffer, forms as a string; the rest of the app keeps Fastify's
 * own JSON parser (content-type parsers are encapsulated per plugin).
 */
export function keepRawBodies(scope: FastifyInstance, o: { bodyLimit?: number } = {}): void {
  const bodyLimit = o.bodyLimit ?? 256 * 1024;
  scope.removeContentTypeParser(["application/json"]);
  scope.addContentTypeParser(
    "application/json",
    { parseAs: "buffer", bodyLimit },
    (_request, body, done) => done(null, body),
  );
  scope.addContentTypeParser(
    "application/x-www-form-urlencoded",
    { parseAs: "string", bodyLimit },
    (_request, body, done) => done(null, body),
  );
}
