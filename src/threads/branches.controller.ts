import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { BranchesService } from './branches.service.js';
import { toThreadResponse } from './thread.mapper.js';
import { ForkThreadDto, ThreadResponse } from './threads.dto.js';

@ApiTags('threads')
@Controller('api')
export class BranchesController {
  constructor(private readonly branches: BranchesService) {}

  @Post('threads/:id/messages/:messageId/activate')
  @HttpCode(200)
  @ApiOperation({ summary: 'Make the branch through a message the active one (down to its newest reply)' })
  @ApiOkResponse({ type: ThreadResponse })
  async activate(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Thread') id: string,
    @IdParam('messageId', 'Message') messageId: string,
  ): Promise<ThreadResponse> {
    return toThreadResponse(await this.branches.activate(user.id, id, messageId));
  }

  @Post('threads/:id/fork')
  @ApiOperation({ summary: 'A new thread with copies of the path up to a message' })
  @ApiCreatedResponse({ type: ThreadResponse })
  async fork(@CurrentUser() user: AuthUser, @IdParam('id', 'Thread') id: string, @Body() dto: ForkThreadDto): Promise<ThreadResponse> {
    return toThreadResponse(await this.branches.fork(user.id, id, dto.messageId));
  }
}
