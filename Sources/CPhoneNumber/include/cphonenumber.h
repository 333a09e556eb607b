#ifndef CPHONENUMBER_H
#define CPHONENUMBER_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Outcomes of CPhoneNumber_formatE164. */
typedef enum {
    CPhoneNumber_ok = 0,
    CPhoneNumber_invalidCountryCode = 1,  /* no region given or found for a national number */
    CPhoneNumber_notANumber = 2,
    CPhoneNumber_tooShortAfterIDD = 3,
    CPhoneNumber_tooShortNSN = 4,
    CPhoneNumber_tooLong = 5,
    CPhoneNumber_invalidNumber = 6,       /* parsed, but not a valid number for its region */
    CPhoneNumber_bufferTooSmall = 7,
    CPhoneNumber_internalError = 8
} CPhoneNumber_Status;

/* Parses `raw` (UTF-8), taking `region` (ISO 3166-1 alpha-2, or NULL/"" for none) for national numbers,
   validates it, and writes its E.164 form ("+" and digits, NUL-terminated) into `out`. */
CPhoneNumber_Status CPhoneNumber_formatE164(const char *raw, const char *region, char *out, size_t outCapacity);

/* 1 when `region` is a region libphonenumber knows (e.g. "DE"), else 0. */
int CPhoneNumber_isSupportedRegion(const char *region);

#ifdef __cplusplus
}
#endif

#endif
