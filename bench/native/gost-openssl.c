/*
 * The physical reference for bench/gost.mjs: GOST R 34.10-2012 512-bit
 * sign and verify (TC26 paramSetA, Streebog-512 over a 100-byte message)
 * through Debian's GOST engine for OpenSSL (libengine-gost-openssl).
 * Prints {"sign": ops/s, "verify": ops/s} as JSON.
 *
 * gcc -O2 -o gost-openssl gost-openssl.c -lcrypto
 */
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/engine.h>
#include <openssl/evp.h>
#include <openssl/objects.h>
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv) {
  double seconds = argc > 1 ? atof(argv[1]) : 2.0;
  ENGINE *engine = ENGINE_by_id("gost");
  if (!engine || !ENGINE_init(engine)) {
    fprintf(stderr, "the gost engine is not available\n");
    return 2;
  }
  ENGINE_set_default(engine, ENGINE_METHOD_ALL);

  EVP_PKEY_CTX *kctx = EVP_PKEY_CTX_new_id(NID_id_GostR3410_2012_512, engine);
  EVP_PKEY *key = NULL;
  if (!kctx || EVP_PKEY_keygen_init(kctx) <= 0 ||
      EVP_PKEY_CTX_ctrl_str(kctx, "paramset", "A") <= 0 ||
      EVP_PKEY_keygen(kctx, &key) <= 0) {
    fprintf(stderr, "key generation failed\n");
    return 3;
  }
  const EVP_MD *md = EVP_get_digestbyname("md_gost12_512");
  unsigned char message[100] = {0};
  unsigned char signature[256];
  size_t length = 0;

  long signs = 0;
  double start = now();
  while (now() - start < seconds) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    length = sizeof signature;
    if (EVP_DigestSignInit(ctx, NULL, md, engine, key) <= 0 ||
        EVP_DigestSign(ctx, signature, &length, message, sizeof message) <= 0) {
      fprintf(stderr, "sign failed\n");
      return 4;
    }
    EVP_MD_CTX_free(ctx);
    signs++;
  }
  double signRate = signs / (now() - start);

  long verifies = 0;
  start = now();
  while (now() - start < seconds) {
    EVP_MD_CTX *ctx = EVP_MD_CTX_new();
    if (EVP_DigestVerifyInit(ctx, NULL, md, engine, key) <= 0 ||
        EVP_DigestVerify(ctx, signature, length, message, sizeof message) != 1) {
      fprintf(stderr, "verify failed\n");
      return 5;
    }
    EVP_MD_CTX_free(ctx);
    verifies++;
  }
  double verifyRate = verifies / (now() - start);
  printf("{\"sign\": %.1f, \"verify\": %.1f}\n", signRate, verifyRate);
  return 0;
}
