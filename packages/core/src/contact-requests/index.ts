export { ContactRequestManager, MAX_INCOMING_REQUESTS, type ContactRequestEvents, type RequestDropCode, type RequestPorts, type RequestsOverview } from './contact-request-manager';
export { RequestSealer, REQUEST_OPEN_ERROR_CODES, type RequestOpenErrorCode, type RequestOpenResult } from './request-sealer';
export { RequestReplayGuard } from './request-replay-guard';
export { RequestStore, type StoredIncomingRequest, type StoredBlockedKey, type StoredOutgoingRequest } from './request-store';
