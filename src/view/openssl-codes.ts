// OpenSSL's certificate-verification codes (X509_V_ERR_* without the prefix, as Node reports them
// in `socket.authorizationError`) in words, from the message catalogue (`openssl_<code>`). A code
// this table does not know stays as it is: it is still shown, only not explained. Pure.
import { messageKey, type Translate } from './translate.js';

// The codes a person meets when a chain does not verify (OpenSSL `x509_vfy.h`, Node `tls`).
const EXPLAINED: ReadonlySet<string> = new Set([
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_SIGNATURE_FAILURE',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'INVALID_CA',
  'PATH_LENGTH_EXCEEDED',
  'INVALID_PURPOSE',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'HOSTNAME_MISMATCH',
]);

/** Every code with words (for tests that each has its catalogue entry). */
export const EXPLAINED_OPENSSL_CODES: readonly string[] = [...EXPLAINED];

/** `UNABLE_TO_GET_ISSUER_CERT_LOCALLY` → words, or `null` for a code without any. */
export function explainOpensslCode(translate: Translate, code: string): string | null {
  return EXPLAINED.has(code) ? translate(messageKey('openssl', code.toLowerCase())) : null;
}
