import { ApiProperty } from '@nestjs/swagger';
import { IsString, IsUUID, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';
import { Trimmed } from '../common/http/dto-helpers.js';
import { BudgetStatusResponse } from '../budgets/budget-status.dto.js';

export class SetApiKeyDto {
  @ApiProperty({ example: 'sk-...' })
  @Trimmed()
  @IsString()
  @MinLength(20, { message: 'apiKey looks too short to be an OpenAI API key' })
  @MaxLength(512)
  @Matches(/^[\x21-\x7e]+$/, { message: 'apiKey must not contain spaces or unusual characters' })
  apiKey!: string;
}

export class SetDefaultAssistantDto {
  @ApiProperty({ format: 'uuid', nullable: true, type: String, description: 'null clears the default' })
  @ValidateIf((_, value) => value !== null)
  @IsUUID('all', { message: 'assistantId must be an assistant id (UUID) or null' })
  assistantId!: string | null;
}

/** The key and default assistant, as the settings service reads them. */
export class AccountSettings {
  @ApiProperty() hasApiKey!: boolean;
  @ApiProperty({ nullable: true, type: String, example: 'sk-…wxyz' }) apiKeyHint!: string | null;
  @ApiProperty({ nullable: true, type: String, format: 'uuid' }) defaultAssistantId!: string | null;
}

/** GET /api/settings. */
export class SettingsResponse extends AccountSettings {
  @ApiProperty({ type: BudgetStatusResponse, description: 'The budget of the current period and who pays' }) budget!: BudgetStatusResponse;
}
