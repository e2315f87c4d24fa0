import { Body, Controller, Delete, Get, Patch, Post } from '@nestjs/common';
import { ApiCreatedResponse, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfirmationResponse } from '../auth/auth.dto.js';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { IdParam } from '../common/http/id-param.js';
import { AssistantResponse, CreateAssistantDto, UpdateAssistantDto } from './assistants.dto.js';
import { AssistantsService } from './assistants.service.js';

@ApiTags('assistants')
@Controller('api/assistants')
export class AssistantsController {
  constructor(private readonly assistants: AssistantsService) {}

  @Get()
  @ApiOperation({ summary: "The user's assistants, newest first" })
  @ApiOkResponse({ type: [AssistantResponse] })
  list(@CurrentUser() user: AuthUser): Promise<AssistantResponse[]> {
    return this.assistants.list(user.id);
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
  @ApiOperation({ summary: 'Delete the assistant (its threads stay, without an assistant)' })
  @ApiOkResponse({ type: ConfirmationResponse })
  async delete(@CurrentUser() user: AuthUser, @IdParam('id', 'Assistant') id: string): Promise<ConfirmationResponse> {
    await this.assistants.delete(user.id, id);
    return { message: 'Assistant deleted' };
  }
}
