// The system's crypt(3) (libxcrypt on current Linux distributions): bcrypt hashes are verified
// and made by the C library, never by code of ours. crypt_r and crypt_gensalt_rn are reentrant.
#ifndef SECPERM_CCRYPT_SHIM_H
#define SECPERM_CCRYPT_SHIM_H
#if __has_include(<crypt.h>)
#include <crypt.h>
#define SECPERM_HAS_CRYPT_R 1
#else
#include <unistd.h>
#define SECPERM_HAS_CRYPT_R 0
#endif
#endif
