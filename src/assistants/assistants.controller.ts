import { Body, Controller, Delete, Get, HttpCode, Patch, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { DeleteQuery, isPermanent, TrashedQuery } from '../common/http/delete-query.js';
import { IdParam } from '../common/http/id-param.js';
import { AssistantResponse, CreateAssistantDto, UpdateAssistantDto } from './assistants.dto.js';
import { AssistantsService } from './assistants.service.js';

@ApiTags('assistants')
@Controller('api/assistants')
export class AssistantsController {
  constructor(private readonly assistants: AssistantsService) {}

  @Get()
  @ApiOperation({ summary: "The user's assistants, newest first (trashed=true: those in the trash, newest deletion first)" })
  @ApiOkResponse({ type: [AssistantResponse] })
  list(@CurrentUser() user: AuthUser, @Query() query: TrashedQuery): Promise<AssistantResponse[]> {
    return this.assistants.list(user.id, query.trashed ?? false);
  }

  @Post()
  @ApiOperation({ summary: 'Create an assistant' })
  @ApiCreatedResponse({ type: AssistantResponse })
  create(@CurrentUser() user: AuthUser, @Body() dto: CreateAssistantDto): Promise<AssistantResponse> {
    return this.assistants.create(user.id, dto);
  }

  @Get(':id')
  @ApiOkResponse({ type: AssistantResponse })
  get(@CurrentUser() user: AuthUser, @IdParam('id', 'Assistant') id: string): Promise<AssistantResponse> {
    return this.assistants.get(user.id, id);
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change any fields; addFileIds / removeFileIds attach and detach documents' })
  @ApiOkResponse({ type: AssistantResponse })
  update(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Assistant') id: string,
    @Body() dto: UpdateAssistantDto,
  ): Promise<AssistantResponse> {
    return this.assistants.update(user.id, id, dto);
  }

  @Delete(':id')
  @ApiOperation({
    summary: 'Move the assistant to the trash; permanent=true (or soft=false) deletes it for good (its threads stay, without an assistant)',
  })
  @ApiOkResponse({ type: ConfirmationResponse })
  async delete(
    @CurrentUser() user: AuthUser,
    @IdParam('id', 'Assistant') id: string,
    @Query() query: DeleteQuery,
  ): Promise<ConfirmationResponse> {
    const done = await this.assistants.delete(user.id, id, isPermanent(query));
    return { message: done === 'trashed' ? 'Assistant moved to the trash' : 'Assistant deleted' };
  }

  @Post(':id/restore')
  @HttpCode(200)
  @ApiOperation({ summary: 'Take the assistant out of the trash (it does not become the default again)' })
  @ApiOkResponse({ type: AssistantResponse })
  restore(@CurrentUser() user: AuthUser, @IdParam('id', 'Assistant') id: string): Promise<AssistantResponse> {
    return this.assistants.restore(user.id, id);
  }
}
