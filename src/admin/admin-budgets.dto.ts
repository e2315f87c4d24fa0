import { ApiProperty } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsDefined,
  IsIn,
  IsInt,
  IsNumber,
  IsObject,
  IsString,
  Max,
  MaxLength,
  Min,
  MinLength,
  Validate,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';
import {
  BUDGET_PERIODS,
  isTimeZone,
  MAX_BUDGET_TOKENS,
  MAX_BUDGET_USD,
  MAX_MODEL_NAME,
  MAX_POLICY_ENTRIES,
  MIN_OUTPUT_CAP,
  TOOL_TYPES,
  type BudgetPeriod,
} from '../config/budgets.js';

/** null is a value here (no limit); a missing field is not. */
const NullOr = () => ValidateIf((_: object, value: unknown) => value !== null);

/** Digits after the point of a number as JavaScript writes it, exponent form included ("4e-323": 323). */
export function decimalPlaces(value: number): number {
  const [mantissa, exponent = '0'] = value.toString().split('e');
  return Math.max(0, (mantissa.split('.')[1]?.length ?? 0) - Number(exponent));
}

/**
 * At most `max` decimals. class-validator's own `maxDecimalPlaces` throws on
 * a fraction written in exponent form (a 500 for `4e-323`).
 */
const MaxDecimals = (max: number, message: string) =>
  ValidateBy({ name: 'maxDecimals', validator: { validate: (value) => typeof value === 'number' && decimalPlaces(value) <= max, defaultMessage: () => message } });

@ValidatorConstraint({ name: 'timeZone' })
class TimeZoneName implements ValidatorConstraintInterface {
  validate(value: unknown): boolean {
    return typeof value === 'string' && isTimeZone(value);
  }

  defaultMessage(): string {
    return 'timeZone must be an IANA time zone such as Europe/Berlin or UTC';
  }
}

/** Limits per period; null: no limit. */
export class BudgetLimitsDto {
  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: MAX_BUDGET_TOKENS, description: 'Tokens per period (null: no limit)' })
  @NullOr()
  @IsInt({ message: 'tokens must be a whole number or null' })
  @Min(0)
  @Max(MAX_BUDGET_TOKENS)
  tokens!: number | null;

  @ApiProperty({ type: Number, nullable: true, minimum: 0, maximum: MAX_BUDGET_USD, description: 'US dollars per period (null: no limit)' })
  @NullOr()
  @IsNumber({ allowNaN: false, allowInfinity: false }, { message: 'usd must be a number (at most 6 decimals) or null' })
  @MaxDecimals(6, 'usd must be a number (at most 6 decimals) or null')
  @Min(0)
  @Max(MAX_BUDGET_USD)
  usd!: number | null;
}

export class SharedKeyPolicyDto extends BudgetLimitsDto {
  @ApiProperty({ type: [String], maxItems: MAX_POLICY_ENTRIES, description: 'Models the shared key answers with (empty: any)' })
  @IsArray()
  @ArrayMaxSize(MAX_POLICY_ENTRIES)
  @IsString({ each: true })
  @MinLength(1, { each: true, message: 'models must not hold an empty name' })
  @MaxLength(MAX_MODEL_NAME, { each: true, message: `models holds names of at most ${MAX_MODEL_NAME} characters` })
  models!: string[];

  @ApiProperty({ type: [String], enum: TOOL_TYPES, description: 'Tool types the shared key runs (empty: any)' })
  @IsArray()
  @ArrayMaxSize(TOOL_TYPES.length)
  @IsIn(TOOL_TYPES, { each: true, message: `tools must hold ${TOOL_TYPES.join(', ')}` })
  tools!: string[];

  @ApiProperty({ type: Number, nullable: true, minimum: MIN_OUTPUT_CAP, maximum: 1_000_000, description: 'Most output tokens a reply may ask for (null: no cap); more is lowered to it' })
  @NullOr()
  @IsInt()
  @Min(MIN_OUTPUT_CAP)
  @Max(1_000_000)
  maxOutputTokens!: number | null;
}

/** The installation's budget policy (GET answers it, PUT replaces it whole). */
export class BudgetPolicyDto {
  @ApiProperty({ enum: BUDGET_PERIODS })
  @IsIn(BUDGET_PERIODS, { message: `period must be one of ${BUDGET_PERIODS.join(', ')}` })
  period!: BudgetPeriod;

  @ApiProperty({ example: 'Europe/Berlin', maxLength: 64 })
  @IsString()
  @MaxLength(64)
  @Validate(TimeZoneName)
  timeZone!: string;

  @ApiProperty({ minimum: 1, maximum: 100, description: 'Percent of a limit past which turns carry a budget_warning' })
  @IsInt()
  @Min(1)
  @Max(100)
  softPercent!: number;

  @ApiProperty({ type: BudgetLimitsDto, description: 'Every user, unless an administrator set their own' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => BudgetLimitsDto)
  default!: BudgetLimitsDto;

  @ApiProperty({ type: SharedKeyPolicyDto, description: 'Users without a key of their own, paid by the shared key' })
  @IsDefined()
  @IsObject()
  @ValidateNested()
  @Type(() => SharedKeyPolicyDto)
  sharedKey!: SharedKeyPolicyDto;
}

export class BudgetAmounts {
  @ApiProperty() tokens!: number;
  @ApiProperty({ description: 'US dollars' }) usd!: number;
}

/** A user's budget as administrators see it. */
export class UserBudgetResponse {
  @ApiProperty({ type: BudgetLimitsDto, nullable: true, description: "The user's own limits (null: the installation's apply)" }) override!: BudgetLimitsDto | null;
  @ApiProperty({ type: BudgetLimitsDto, description: 'The limits that hold for the user now' }) effective!: BudgetLimitsDto;
  @ApiProperty({ type: BudgetAmounts, description: 'Spent in the current period' }) used!: BudgetAmounts;
  @ApiProperty({ format: 'date-time', description: 'When the current period ends' }) resetsAt!: string;
}
