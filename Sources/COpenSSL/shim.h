#ifndef C_OPENSSL_SHIM_H
#define C_OPENSSL_SHIM_H

/* Keep CleanRoom on the OpenSSL 3 EVP interfaces: the deprecated low-level APIs are not even visible. */
#define OPENSSL_API_COMPAT 30000
#define OPENSSL_NO_DEPRECATED 1

#include <openssl/conf.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/core_names.h>
#include <openssl/rand.h>

/* Function-like macros and ctrl calls Swift cannot import, wrapped as inline functions. */
static inline int COpenSSL_gcm_set_ivlen(EVP_CIPHER_CTX *ctx, int length) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_IVLEN, length, NULL);
}

static inline int COpenSSL_gcm_get_tag(EVP_CIPHER_CTX *ctx, int length, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_GET_TAG, length, tag);
}

static inline int COpenSSL_gcm_set_tag(EVP_CIPHER_CTX *ctx, int length, void *tag) {
    return EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, length, tag);
}

/* Chooses the digest of an HMAC context (OSSL_MAC_PARAM_DIGEST), by name such as "SHA256". */
static inline int COpenSSL_mac_set_digest(EVP_MAC_CTX *ctx, const char *digest) {
    OSSL_PARAM params[2];
    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    return EVP_MAC_CTX_set_params(ctx, params);
}

/*
 * HKDF with SHA-256 (RFC 5869) through EVP_KDF and OSSL_PARAMs, which are awkward to build from Swift.
 * `mode` is one of EVP_KDF_HKDF_MODE_EXTRACT_AND_EXPAND, _EXTRACT_ONLY or _EXPAND_ONLY. `key` is the input
 * keying material, or the pseudorandom key when expanding only. An empty salt is left out, which RFC 5869
 * defines as a salt of HashLen zero bytes (HMAC pads its key with zeros, so the two are the same); an
 * empty info is left out too. An empty key is passed as a valid pointer with length 0, because OpenSSL
 * treats a NULL key as a missing key. Returns 1 on success and 0 on failure (see the error queue).
 */
static inline int COpenSSL_hkdf_sha256(EVP_KDF *kdf, int mode,
                                       unsigned char *out, size_t out_length,
                                       const void *key, size_t key_length,
                                       const void *salt, size_t salt_length,
                                       const void *info, size_t info_length) {
    static unsigned char empty = 0;
    OSSL_PARAM params[6];
    size_t count = 0;
    params[count++] = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST, (char *)"SHA256", 0);
    params[count++] = OSSL_PARAM_construct_int(OSSL_KDF_PARAM_MODE, &mode);
    params[count++] = OSSL_PARAM_construct_octet_string(
        OSSL_KDF_PARAM_KEY, key_length > 0 ? (void *)key : (void *)&empty, key_length);
    if (salt_length > 0) {
        params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, (void *)salt, salt_length);
    }
    if (info_length > 0) {
        params[count++] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_INFO, (void *)info, info_length);
    }
    params[count] = OSSL_PARAM_construct_end();

    EVP_KDF_CTX *ctx = EVP_KDF_CTX_new(kdf);
    if (ctx == NULL) {
        return 0;
    }
    int result = EVP_KDF_derive(ctx, out, out_length, params);
    EVP_KDF_CTX_free(ctx);
    return result;
}

/* PEM (SubjectPublicKeyInfo) encoding of public keys: PEM_write_bio_PUBKEY, PEM_read_bio_PUBKEY. */
#include <openssl/pem.h>

#endif
