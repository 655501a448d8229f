export * from './bridge/index';
