import { ApiProperty } from '@nestjs/swagger';
import { BUDGET_PERIODS, type BudgetPeriod } from '../config/budgets.js';

export class BudgetFigureResponse {
  @ApiProperty({ type: Number, nullable: true, description: 'null: no limit' }) limit!: number | null;
  @ApiProperty({ description: 'Spent in the current period' }) used!: number;
  @ApiProperty({ type: Number, nullable: true, description: 'What is left (null: no limit)' }) remaining!: number | null;
}

/** Where the signed-in user stands in the current budget period. */
export class BudgetStatusResponse {
  @ApiProperty({ enum: BUDGET_PERIODS }) period!: BudgetPeriod;
  @ApiProperty({ format: 'date-time', description: 'When the current period ends and spending counts from zero again' }) resetsAt!: string;
  @ApiProperty({ enum: ['own', 'shared'], description: "Whose key pays for the user's turns" }) paidBy!: 'own' | 'shared';
  @ApiProperty({ type: BudgetFigureResponse }) tokens!: BudgetFigureResponse;
  @ApiProperty({ type: BudgetFigureResponse, description: 'US dollars' }) usd!: BudgetFigureResponse;
  @ApiProperty({ description: 'Percent of a limit past which turns carry a warning' }) softPercent!: number;
  @ApiProperty({ description: 'A limit is past its warning threshold' }) warning!: boolean;
}
