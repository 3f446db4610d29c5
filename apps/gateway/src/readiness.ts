import { Injectable } from '@nestjs/common';

@Injectable()
export class Readiness {
  ready = false;
}
