import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsIn, IsInt, IsOptional, Max, Min, Validate, type ValidatorConstraintInterface, ValidatorConstraint } from 'class-validator';
import { PageQuery } from '../common/http/dto-helpers.js';
import { isEmailDomain, MAX_LISTED, SIGNUP_POLICIES, type SignupPolicyName } from '../config/governance.js';

/** Most sign-ups one invite may allow. */
export const INVITE_MAX_USES = 10_000;

@ValidatorConstraint({ name: 'emailDomains' })
class EmailDomains implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return Array.isArray(value) && value.every((item) => typeof item === 'string' && isEmailDomain(item));
  }

  defaultMessage(): string {
    return 'domains must be domain names such as example.org';
  }
}

const lowerCaseList = ({ value }: { value: unknown }) =>
  Array.isArray(value) ? [...new Set(value.map((item: unknown) => (typeof item === 'string' ? item.trim().toLowerCase().replace(/^@/, '') : item)))] : value;

export class SetSignupPolicyDto {
  @ApiProperty({ enum: SIGNUP_POLICIES })
  @IsIn(SIGNUP_POLICIES, { message: `policy must be one of ${SIGNUP_POLICIES.join(', ')}` })
  policy!: SignupPolicyName;

  @ApiPropertyOptional({ type: [String], maxItems: MAX_LISTED, description: 'E-mail domains the domain policy accepts (kept when not given)' })
  @IsOptional()
  @Transform(lowerCaseList)
  @IsArray()
  @ArrayMaxSize(MAX_LISTED)
  @Validate(EmailDomains)
  domains?: string[];
}

export class SignupPolicyResponse {
  @ApiProperty({ enum: SIGNUP_POLICIES }) policy!: SignupPolicyName;
  @ApiProperty({ type: [String] }) domains!: string[];
  @ApiProperty({ format: 'date-time' }) updatedAt!: string;
}

export class CreateInviteDto {
  @ApiPropertyOptional({ default: 1, minimum: 1, maximum: INVITE_MAX_USES, description: 'Sign-ups the invite allows (1: single-use)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(INVITE_MAX_USES)
  maxUses?: number;

  @ApiPropertyOptional({ default: 168, minimum: 1, description: 'Hours the invite stays valid (at most INVITE_MAX_DAYS days; default a week or that, if shorter)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(24 * 3_650)
  expiresInHours?: number;
}

export class InvitesQuery extends PageQuery {}

export class InviteResponse {
  @ApiProperty({ format: 'uuid' }) id!: string;
  @ApiProperty() maxUses!: number;
  @ApiProperty() uses!: number;
  @ApiProperty({ format: 'date-time' }) expiresAt!: string;
  @ApiProperty({ nullable: true, type: String, format: 'date-time' }) revokedAt!: string | null;
  @ApiProperty({ format: 'date-time' }) createdAt!: string;
  @ApiProperty({ description: 'Not expired, revoked or used up' }) active!: boolean;
}

export class CreatedInviteResponse extends InviteResponse {
  @ApiProperty({ description: 'The invite token, shown only now (register with inviteToken)' }) token!: string;
}
