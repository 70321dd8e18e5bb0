// @cio-dw/destination-bucket public API.
export { main } from './main.js';
export { createDestination, type DestinationDeps } from './destination.js';
export { spec, settingsFrom, type BucketConfig, type StoreConfig, type Settings } from './config.js';
export { BucketSink } from './sink.js';
export * from './naming.js';
export * from './manifest.js';
export { layoutFor, kindOf, type Column, type ColumnKind, type Layout } from './formats/columns.js';
