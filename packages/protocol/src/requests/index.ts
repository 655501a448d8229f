export * from './request-bodies';
export * from './request-layout';
