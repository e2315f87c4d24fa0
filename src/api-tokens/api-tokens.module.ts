import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module.js';
import { ApiTokensController } from './api-tokens.controller.js';
import { ApiTokensService } from './api-tokens.service.js';

/** Token management; resolving a presented token belongs to the session guard (AuthModule). */
@Module({
  imports: [AuthModule],
  controllers: [ApiTokensController],
  providers: [ApiTokensService],
})
export class ApiTokensModule {}
