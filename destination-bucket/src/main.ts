import { runDestinationCli } from '@cio-dw/common';
import { createDestination } from './destination.js';

export function main(argv: string[]): Promise<number> {
  return runDestinationCli(createDestination(), argv);
}
