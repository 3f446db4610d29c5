import { Controller, Get } from '@nestjs/common';
import { SERVER_FORMAT } from '@lib/appwrite';
import { buildOpenApi } from '@lib/http';
import { ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, ALL_VERSIONED_RESOURCES } from './contexts';

/** The document of the newest format, which every model the endpoints answer is built in. */
@Controller()
export class OpenApiController {
  // Built on first request, not at start: few clients ever ask for it.
  private document: ReturnType<typeof buildOpenApi> | undefined;

  @Get('/v1/openapi.json')
  openapi() {
    return (this.document ??= buildOpenApi(ALL_ENDPOINTS, ALL_RESPONSE_SCHEMAS, SERVER_FORMAT, ALL_VERSIONED_RESOURCES));
  }
}
