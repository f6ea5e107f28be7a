import Fastify, { type FastifyInstance } from "fastify";
import compress from "@fastify/compress";
import helmet from "@fastify/helmet";
import rateLimit from "@fastify/rate-limit";
import fastifyStatic from "@fastify/static";
import swagger from "@fastify/swagger";
import swaggerUi from "@fastify/swagger-ui";
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from "fastify-type-provider-zod";
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { randomUUID } from "node:crypto";
import { constants as zlib } from "node:zlib";
import type { AppDeps } from "./lib/context.ts";
import { registerErrorHandler, registerNotFoundHandler } from "./lib/error-handler.ts";
import { loggerOptions } from "./lib/logger.ts";
import { authRoutes } from "./auth/auth.routes.ts";
import { healthRoutes } from "./modules/health/health.routes.ts";
import { meRoutes } from "./modules/me/me.routes.ts";
import { communitiesRoutes } from "./modules/communities/communities.routes.ts";
import { usersRoutes } from "./modules/users/users.routes.ts";
import { auditRoutes } from "./modules/audit/audit.routes.ts";
import { devRoutes } from "./modules/dev/dev.routes.ts";
import { homeRoutes } from "./modules/home/home.routes.ts";
import { departmentsRoutes } from "./modules/departments/departments.routes.ts";
import { residentsRoutes } from "./modules/residents/residents.routes.ts";
import { streetsRoutes } from "./modules/streets/streets.routes.ts";
import { savedFiltersRoutes } from "./modules/saved-filters/saved-filters.routes.ts";
import { duplicatesRoutes } from "./modules/duplicates/duplicates.routes.ts";
import { assetsRoutes } from "./modules/assets/assets.routes.ts";
import { importsRoutes } from "./modules/imports/imports.routes.ts";
import { exportsRoutes } from "./modules/imports/exports.routes.ts";
import { mapRoutes } from "./modules/map/map.routes.ts";
import { communityProfileRoutes } from "./modules/community-profile/community-profile.routes.ts";
import { needsRoutes } from "./modules/needs/needs.routes.ts";
import { channelsRoutes } from "./modules/needs/channels.routes.ts";
import { formsRoutes } from "./modules/forms/forms.routes.ts";
import { syncRoutes } from "./modules/sync/sync.routes.ts";
import { emergencyRoutes } from "./modules/emergency/emergency.routes.ts";
import { emergencyStatusRoutes } from "./modules/emergency/status.routes.ts";
import { broadcastsRoutes } from "./modules/broadcasts/broadcasts.routes.ts";
import { areaAlertsRoutes } from "./modules/broadcasts/area-alerts.routes.ts";
import { subscriptionChangeRoutes } from "./modules/broadcasts/subscription-change.routes.ts";
import { publicNeedsRoutes, registerEmbedHeaders } from "./modules/needs/public-needs.routes.ts";

export type App = FastifyInstance;

/** Builds the whole HTTP app on the given dependencies (no listening). */
export async function buildApp(deps: AppDeps, options: { logger?: boolean } = {}): Promise<App> {
  const { config } = deps;
  const app = Fastify({
    logger: options.logger === false ? false : loggerOptions(config),
    bodyLimit: 2 * 1024 * 1024,
    trustProxy: config.TRUST_PROXY,
    genReqId: (req) => {
      const incoming = req.headers["x-request-id"];
      return typeof incoming === "string" && /^[\w-]{8,64}$/.test(incoming)
        ? incoming
        : randomUUID();
    },
    requestIdHeader: false,
    routerOptions: { maxParamLength: 200 },
  }).withTypeProvider<ZodTypeProvider>();

  app.decorate("deps", deps);
  app.setValidatorCompiler(validatorCompiler);
  // Responses are built by presenters typed against the contract. Outside production
  // every response is also checked against its zod schema (tests catch a presenter
  // drifting from the contract); in production that check is skipped for speed.
  app.setSerializerCompiler(
    config.NODE_ENV === "production"
      ? () => (data: unknown) => JSON.stringify(data)
      : serializerCompiler,
  );
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", String(request.id));
  });
  registerErrorHandler(app);

  // A configured base-map tile server is the one outside origin the browser may fetch from.
  const tileOrigin = config.MAP_TILE_URL ? [new URL(config.MAP_TILE_URL).origin] : [];
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'", "'unsafe-inline'"],
        imgSrc: ["'self'", "data:", "blob:", ...tileOrigin],
        fontSrc: ["'self'", "data:"],
        connectSrc: ["'self'", ...tileOrigin],
        workerSrc: ["'self'", "blob:"],
        frameAncestors: ["'self'"],
        // Municipal installations often start on plain HTTP inside their network.
        upgradeInsecureRequests: null,
      },
    },
    hsts: config.NODE_ENV === "production",
    crossOriginEmbedderPolicy: false,
  });
  // Responses over 1 KB compressed (brotli at a fast level, or gzip): a field device's first
  // sync is mostly JSON and shrinks ~8× on a slow mobile network. The web app's own files
  // are compressed once at build time (preCompressed below); event streams are written
  // straight to the socket and never buffered here.
  await app.register(compress, {
    global: true,
    threshold: 1024,
    encodings: ["br", "gzip"],
    brotliOptions: { params: { [zlib.BROTLI_PARAM_QUALITY]: 4 } },
    zlibOptions: { level: 6 },
  });
  await app.register(rateLimit, {
    global: true,
    max: config.RATE_LIMIT_PER_MINUTE,
    timeWindow: "1 minute",
    // Keys by IP; sign-in routes set a much lower limit of their own.
    errorResponseBuilder: (_req, ctx) => ({
      statusCode: 429,
      code: "rate_limited",
      message: `Too many requests; try again in ${Math.ceil(ctx.ttl / 1000)} s`,
    }),
  });

  await app.register(swagger, {
    openapi: {
      openapi: "3.1.0",
      info: {
        title: "Kaveret API",
        version: "0.1.0",
        description:
          "Community work platform for municipal social services departments. Errors: `{ error: { code, message, details, requestId } }`.",
      },
      components: {
        securitySchemes: {
          session: { type: "apiKey", in: "cookie", name: "better-auth.session_token" },
        },
      },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: "/docs" });
  app.get("/api/openapi.json", { schema: { hide: true } }, async () => app.swagger());

  await app.register(healthRoutes);
  await app.register(authRoutes);
  await app.register(meRoutes);
  await app.register(communitiesRoutes);
  await app.register(usersRoutes);
  await app.register(auditRoutes);
  await app.register(homeRoutes);
  await app.register(departmentsRoutes);
  await app.register(residentsRoutes);
  await app.register(streetsRoutes);
  await app.register(savedFiltersRoutes);
  await app.register(duplicatesRoutes);
  await app.register(assetsRoutes);
  await app.register(importsRoutes);
  await app.register(exportsRoutes);
  await app.register(mapRoutes);
  await app.register(communityProfileRoutes);
  await app.register(needsRoutes);
  await app.register(publicNeedsRoutes);
  await app.register(channelsRoutes);
  await app.register(formsRoutes);
  await app.register(syncRoutes);
  await app.register(emergencyRoutes);
  await app.register(emergencyStatusRoutes);
  await app.register(broadcastsRoutes);
  await app.register(areaAlertsRoutes);
  await app.register(subscriptionChangeRoutes);
  registerEmbedHeaders(app);
  if (config.NODE_ENV !== "production") await app.register(devRoutes);

  const webRoot = resolve(config.WEB_DIST);
  const serveWeb = config.SERVE_WEB && existsSync(resolve(webRoot, "index.html"));
  if (serveWeb) {
    await app.register(fastifyStatic, {
      root: webRoot,
      wildcard: false,
      // index.js.br / .gz written by the web build (apps/web/scripts/precompress.mjs).
      preCompressed: true,
      setHeaders: (res, path) => {
        const immutable = path.includes(`${"/"}assets${"/"}`);
        res.header("cache-control", immutable ? "public, max-age=31536000, immutable" : "no-cache");
      },
    });
  }
  registerNotFoundHandler(app, serveWeb);

  return app;
}
