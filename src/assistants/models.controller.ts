import { Controller, Get } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { ModelNames } from './model-names.js';

export class ModelListResponse {
  @ApiProperty({ type: [String], description: 'The chat models the key may use, sorted by name (empty when unavailable)' })
  models!: string[];

  @ApiProperty({ description: 'False when the list could not be read (no key, the provider unreachable or failing, or too long a list): any name is then accepted' })
  available!: boolean;
}

@ApiTags('assistants')
@Controller('api')
export class ModelsController {
  constructor(private readonly names: ModelNames) {}

  @Get('models')
  @ApiOperation({ summary: "The chat models the user's OpenAI key may use (cached per user)" })
  @ApiOkResponse({ type: ModelListResponse })
  async list(@CurrentUser() user: AuthUser): Promise<ModelListResponse> {
    const models = await this.names.chatModelsFor(user.id);
    return models ? { models, available: true } : { models: [], available: false };
  }
}
