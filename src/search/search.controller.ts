import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentUser, type AuthUser } from '../common/auth/current-user.decorator.js';
import { SearchQuery, SearchResponse } from './search.dto.js';
import { SearchService } from './search.service.js';

@ApiTags('search')
@Controller('api')
export class SearchController {
  constructor(private readonly search: SearchService) {}

  @Get('search')
  @ApiOperation({ summary: "Full-text search over the user's messages and thread titles, best first, with highlighted snippets" })
  @ApiOkResponse({ type: SearchResponse })
  find(@CurrentUser() user: AuthUser, @Query() query: SearchQuery): Promise<SearchResponse> {
    return this.search.search(user.id, query);
  }
}
