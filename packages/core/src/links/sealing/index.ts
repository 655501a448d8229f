export {
  SignalSealer,
  SIGNAL_OPEN_ERROR_CODES,
  type SignalOpenErrorCode,
  type SealerIdentity,
  type SignalSealerOptions,
  type SealInput,
  type OpenInput,
  type OpenResult,
} from './signal-sealer';
export { SignalReplayGuard, type SignalReplayGuardOptions, type ReplayCheck, type ReplayVerdict } from './signal-replay-guard';
export {
  buildLinkHello,
  verifyLinkHello,
  LINK_HELLO_FAILURES,
  type LinkHelloFailure,
  type LinkHelloFrame,
  type LinkHelloSigner,
  type LinkHelloVerdict,
  type BuildLinkHelloInput,
  type VerifyLinkHelloInput,
} from './link-hello';
export {
  signProfileCard,
  verifyProfileCard,
  PROFILE_CARD_MAX_FUTURE_MS,
  type ProfileCardFrame,
  type VerifiedProfileCard,
  type SignProfileCardInput,
  type VerifyProfileCardInput,
  type ProfileCardVerdict,
} from '../../identity/profile-card';
