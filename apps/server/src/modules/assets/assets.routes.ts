import type { FastifyInstance } from "fastify";
import type { ZodTypeProvider } from "fastify-type-provider-zod";
import { z } from "zod";
import {
  assetOccupancyBodySchema,
  assetPageSchema,
  assetSchema,
  assetVersionBodySchema,
  createAssetBodySchema,
  createOrganizationBodySchema,
  createServiceBodySchema,
  errorBodySchema,
  hsdsServicesSchema,
  listAssetsQuerySchema,
  listOrganizationsQuerySchema,
  listServicesQuerySchema,
  organizationPageSchema,
  organizationSchema,
  servicePageSchema,
  serviceSchema,
  updateAssetBodySchema,
  updateOrganizationBodySchema,
  updateServiceBodySchema,
} from "@kaveret/contracts";
import { contextOf } from "../../lib/context.ts";
import * as service from "./assets.service.ts";
import * as hsds from "./assets.export.ts";

const params = z.object({ id: z.uuid() });
const errors = {
  400: errorBodySchema,
  401: errorBodySchema,
  403: errorBodySchema,
  404: errorBodySchema,
  409: errorBodySchema,
};
const tags = ["assets"];

export async function assetsRoutes(fastify: FastifyInstance) {
  const app = fastify.withTypeProvider<ZodTypeProvider>();

  /* Assets (HSDS locations). */

  app.get(
    "/api/assets",
    {
      schema: {
        tags,
        summary: "Community assets: search, filter by type and community (with its subtree)",
        querystring: listAssetsQuerySchema,
        response: { 200: assetPageSchema, ...errors },
      },
    },
    async (request) => service.listAssets(await contextOf(request), request.query),
  );

  app.get(
    "/api/assets/:id",
    {
      schema: {
        tags,
        summary: "One asset with its opening hours and services",
        params,
        response: { 200: assetSchema, ...errors },
      },
    },
    async (request) => service.getAsset(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/assets",
    {
      schema: {
        tags,
        summary: "Create an asset (optionally with a new organization)",
        body: createAssetBodySchema,
        response: { 201: assetSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createAsset(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    "/api/assets/:id",
    {
      schema: {
        tags,
        summary: "Edit an asset (send the version you edited; hours and services are replaced)",
        params,
        body: updateAssetBodySchema,
        response: { 200: assetSchema, ...errors },
      },
    },
    async (request) =>
      service.updateAsset(await contextOf(request), request.params.id, request.body),
  );

  app.post(
    "/api/assets/:id/occupancy",
    {
      schema: {
        tags,
        summary: "Update the live occupancy of a shelter or distribution point",
        params,
        body: assetOccupancyBodySchema,
        response: { 200: assetSchema, ...errors },
      },
    },
    async (request) =>
      service.setAssetOccupancy(await contextOf(request), request.params.id, request.body),
  );

  for (const [action, archived] of [
    ["archive", true],
    ["restore", false],
  ] as const) {
    app.post(
      `/api/assets/:id/${action}`,
      {
        schema: {
          tags,
          summary: archived ? "Archive an asset" : "Restore an archived asset",
          params,
          body: assetVersionBodySchema,
          response: { 200: assetSchema, ...errors },
        },
      },
      async (request) =>
        service.setAssetArchived(
          await contextOf(request),
          request.params.id,
          request.body.version,
          archived,
        ),
    );
  }

  /* HSDS 3.0 export. */

  app.get(
    "/api/assets/hsds/services.json",
    {
      schema: {
        tags,
        summary: "The directory as HSDS 3.0 compiled services (organization and locations nested)",
        response: { 200: hsdsServicesSchema, ...errors },
      },
    },
    async (request, reply) => {
      const { services, filename } = await hsds.exportServicesJson(await contextOf(request));
      void reply.header("content-disposition", `attachment; filename="${filename}"`);
      return services;
    },
  );

  // A binary download: registered without the zod provider (a Buffer is sent as is).
  fastify.get(
    "/api/assets/hsds.zip",
    {
      schema: {
        tags,
        summary: "The directory as HSDS 3.0 tabular CSVs with datapackage.json (ZIP)",
      },
    },
    async (request, reply) => {
      const { zip, filename } = await hsds.exportZip(await contextOf(request));
      return reply
        .header("content-type", "application/zip")
        .header("content-disposition", `attachment; filename="${filename}"`)
        .send(Buffer.from(zip));
    },
  );

  /* Organizations. */

  app.get(
    "/api/assets/organizations",
    {
      schema: {
        tags,
        summary: "Organizations running assets and services",
        querystring: listOrganizationsQuerySchema,
        response: { 200: organizationPageSchema, ...errors },
      },
    },
    async (request) => service.listOrganizations(await contextOf(request), request.query),
  );

  app.get(
    "/api/assets/organizations/:id",
    {
      schema: {
        tags,
        summary: "One organization",
        params,
        response: { 200: organizationSchema, ...errors },
      },
    },
    async (request) => service.getOrganization(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/assets/organizations",
    {
      schema: {
        tags,
        summary: "Create an organization",
        body: createOrganizationBodySchema,
        response: { 201: organizationSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createOrganization(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    "/api/assets/organizations/:id",
    {
      schema: {
        tags,
        summary: "Edit an organization (send the version you edited)",
        params,
        body: updateOrganizationBodySchema,
        response: { 200: organizationSchema, ...errors },
      },
    },
    async (request) =>
      service.updateOrganization(await contextOf(request), request.params.id, request.body),
  );

  for (const [action, archived] of [
    ["archive", true],
    ["restore", false],
  ] as const) {
    app.post(
      `/api/assets/organizations/:id/${action}`,
      {
        schema: {
          tags,
          summary: archived ? "Archive an organization" : "Restore an archived organization",
          params,
          body: assetVersionBodySchema,
          response: { 200: organizationSchema, ...errors },
        },
      },
      async (request) =>
        service.setOrganizationArchived(
          await contextOf(request),
          request.params.id,
          request.body.version,
          archived,
        ),
    );
  }

  /* Services. */

  app.get(
    "/api/assets/services",
    {
      schema: {
        tags,
        summary: "Services offered at assets",
        querystring: listServicesQuerySchema,
        response: { 200: servicePageSchema, ...errors },
      },
    },
    async (request) => service.listServices(await contextOf(request), request.query),
  );

  app.get(
    "/api/assets/services/:id",
    {
      schema: {
        tags,
        summary: "One service with where it is offered",
        params,
        response: { 200: serviceSchema, ...errors },
      },
    },
    async (request) => service.getService(await contextOf(request), request.params.id),
  );

  app.post(
    "/api/assets/services",
    {
      schema: {
        tags,
        summary: "Create a service (optionally offered at assets)",
        body: createServiceBodySchema,
        response: { 201: serviceSchema, ...errors },
      },
    },
    async (request, reply) => {
      const created = await service.createService(await contextOf(request), request.body);
      return reply.status(201).send(created);
    },
  );

  app.patch(
    "/api/assets/services/:id",
    {
      schema: {
        tags,
        summary: "Edit a service (send the version you edited)",
        params,
        body: updateServiceBodySchema,
        response: { 200: serviceSchema, ...errors },
      },
    },
    async (request) =>
      service.updateService(await contextOf(request), request.params.id, request.body),
  );

  for (const [action, archived] of [
    ["archive", true],
    ["restore", false],
  ] as const) {
    app.post(
      `/api/assets/services/:id/${action}`,
      {
        schema: {
          tags,
          summary: archived ? "Archive a service" : "Restore an archived service",
          params,
          body: assetVersionBodySchema,
          response: { 200: serviceSchema, ...errors },
        },
      },
      async (request) =>
        service.setServiceArchived(
          await contextOf(request),
          request.params.id,
          request.body.version,
          archived,
        ),
    );
  }
}
