import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiServiceUnavailableResponse, ApiTags } from '@nestjs/swagger';
import { Public } from '../common/auth/public.decorator.js';
import { APP_INFO } from '../common/app-info.js';
import type { AppConfig } from '../config/config.js';
import { publicConfig } from '../config/public-config.js';
import { InjectConfig } from '../config/config.module.js';
import { HealthService } from './health.service.js';

@ApiTags('operations')
@Public()
@Controller()
export class HealthController {
  constructor(
    private readonly health: HealthService,
    @InjectConfig() private readonly config: AppConfig,
  ) {}

  @Get('health')
  @ApiOperation({ summary: 'Liveness and database reachability' })
  @ApiOkResponse({ description: 'The service and its database are up' })
  @ApiServiceUnavailableResponse({ description: 'The database is unreachable' })
  check() {
    return this.health.check();
  }

  @Get('config')
  @ApiOperation({ summary: 'Non-sensitive configuration' })
  configuration() {
    return publicConfig(this.config);
  }

  @Get('api')
  @ApiOperation({ summary: 'Service name, version and links' })
  info() {
    return {
      name: APP_INFO.name,
      version: APP_INFO.version,
      description: APP_INFO.description,
      links: { health: '/health', config: '/config', docs: '/docs', openapi: '/docs-json' },
    };
  }
}
