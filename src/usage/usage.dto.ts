import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsISO8601, IsOptional } from 'class-validator';
import { BudgetStatusResponse } from '../budgets/budget-status.dto.js';

export type UsageGrouping = 'day' | 'assistant' | 'thread' | 'model';

export class UsageQuery {
  @ApiPropertyOptional({ format: 'date-time', description: 'Start (inclusive); default 30 days ago' })
  @IsOptional()
  @IsISO8601({}, { message: 'from must be an ISO-8601 date or time' })
  from?: string;

  @ApiPropertyOptional({ format: 'date-time', description: 'End (exclusive); default now' })
  @IsOptional()
  @IsISO8601({}, { message: 'to must be an ISO-8601 date or time' })
  to?: string;

  @ApiPropertyOptional({ enum: ['day', 'assistant', 'thread', 'model'], default: 'day' })
  @IsOptional()
  @IsIn(['day', 'assistant', 'thread', 'model'], { message: 'groupBy must be day, assistant, thread or model' })
  groupBy?: UsageGrouping;
}

export class UsageFigures {
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() totalTokens!: number;
  @ApiProperty({ description: 'US dollars' }) cost!: number;
  @ApiProperty({ description: 'Assistant replies' }) turns!: number;
  @ApiProperty({ description: 'Calls to a model: replies, titles and summaries' }) calls!: number;
}

/** What the calls made for one purpose used. */
export class PurposeFigures {
  @ApiProperty() inputTokens!: number;
  @ApiProperty() outputTokens!: number;
  @ApiProperty() totalTokens!: number;
  @ApiProperty({ description: 'US dollars' }) cost!: number;
  @ApiProperty() calls!: number;
}

export class UsageByPurpose {
  @ApiProperty({ type: PurposeFigures, description: 'Assistant replies' }) reply!: PurposeFigures;
  @ApiProperty({ type: PurposeFigures, description: 'Thread titles' }) title!: PurposeFigures;
  @ApiProperty({ type: PurposeFigures, description: 'Summaries of long threads' }) summary!: PurposeFigures;
}

export class UsageGroup extends UsageFigures {
  @ApiProperty({ nullable: true, type: String }) key!: string | null;
  @ApiProperty() label!: string;
}

/** The figures of a period, as the usage service sums them. */
export class UsagePeriodReport {
  @ApiProperty({ format: 'date-time' }) from!: string;
  @ApiProperty({ format: 'date-time' }) to!: string;
  @ApiProperty({ enum: ['day', 'assistant', 'thread', 'model'] }) groupBy!: UsageGrouping;
  @ApiProperty({ type: UsageFigures, description: 'Every call: replies, titles and summaries' }) totals!: UsageFigures;
  @ApiProperty({ type: UsageByPurpose }) byPurpose!: UsageByPurpose;
  @ApiProperty({ type: [UsageGroup] }) groups!: UsageGroup[];
}

/** GET /api/usage: the figures of the period asked for, with the user's budget in the current one. */
export class UsageReport extends UsagePeriodReport {
  @ApiProperty({ type: BudgetStatusResponse, description: 'The budget of the current period (whatever period the report covers)' }) budget!: BudgetStatusResponse;
}
