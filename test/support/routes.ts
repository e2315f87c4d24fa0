import { RequestMethod, type INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants.js';
import { ModulesContainer } from '@nestjs/core';
import { IS_PUBLIC } from '../../src/common/auth/public.decorator.js';

export interface AppRoute {
  method: string;
  /** Express-style path, e.g. /api/threads/:id */
  path: string;
  isPublic: boolean;
  controller: string;
  handler: string;
}

function joinPaths(...parts: Array<string | string[] | undefined>): string {
  const segments = parts
    .map((part) => (Array.isArray(part) ? part[0] : part) ?? '')
    .flatMap((part) => part.split('/'))
    .filter((segment) => segment.length > 0);
  return `/${segments.join('/')}`;
}

/** Every route the application serves, read from its controllers, so new routes are covered automatically. */
export function listRoutes(app: INestApplication): AppRoute[] {
  const routes: AppRoute[] = [];
  for (const module of app.get(ModulesContainer).values()) {
    for (const wrapper of module.controllers.values()) {
      const controllerClass = wrapper.metatype as (new (...args: never[]) => object) | null;
      if (!controllerClass || !wrapper.instance) continue;
      const prefix = Reflect.getMetadata(PATH_METADATA, controllerClass) as string | string[] | undefined;
      const classPublic = Reflect.getMetadata(IS_PUBLIC, controllerClass) === true;
      const prototype = controllerClass.prototype as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const handler = prototype[name];
        if (name === 'constructor' || typeof handler !== 'function') continue;
        const method = Reflect.getMetadata(METHOD_METADATA, handler) as RequestMethod | undefined;
        if (method === undefined) continue;
        const path = Reflect.getMetadata(PATH_METADATA, handler) as string | string[] | undefined;
        routes.push({
          method: RequestMethod[method],
          path: joinPaths(prefix, path),
          isPublic: classPublic || Reflect.getMetadata(IS_PUBLIC, handler) === true,
          controller: controllerClass.name,
          handler: name,
        });
      }
    }
  }
  return routes;
}

/** Fills route parameters with a syntactically valid value. */
export function concretePath(path: string, value = '00000000-0000-4000-8000-000000000000'): string {
  return path.replace(/\{\/:[A-Za-z]+\}/g, `/${value}`).replace(/:[A-Za-z]+/g, value);
}
