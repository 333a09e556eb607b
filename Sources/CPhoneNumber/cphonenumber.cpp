#include "cphonenumber.h"

#include <cstring>
#include <set>
#include <string>

#include <phonenumbers/phonenumber.pb.h>
#include <phonenumbers/phonenumberutil.h>

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

extern "C" CPhoneNumber_Status CPhoneNumber_formatE164(const char *raw, const char *region, char *out,
                                                       size_t outCapacity) {
    if (raw == nullptr || out == nullptr || outCapacity == 0) {
        return CPhoneNumber_internalError;
    }
    const PhoneNumberUtil *util = PhoneNumberUtil::GetInstance();
    const std::string regionCode = (region == nullptr || region[0] == '\0') ? "ZZ" : std::string(region);
    PhoneNumber number;
    switch (util->Parse(std::string(raw), regionCode, &number)) {
    case PhoneNumberUtil::NO_PARSING_ERROR:
        break;
    case PhoneNumberUtil::INVALID_COUNTRY_CODE_ERROR:
        return CPhoneNumber_invalidCountryCode;
    case PhoneNumberUtil::NOT_A_NUMBER:
        return CPhoneNumber_notANumber;
    case PhoneNumberUtil::TOO_SHORT_AFTER_IDD:
        return CPhoneNumber_tooShortAfterIDD;
    case PhoneNumberUtil::TOO_SHORT_NSN:
        return CPhoneNumber_tooShortNSN;
    case PhoneNumberUtil::TOO_LONG_NSN:
        return CPhoneNumber_tooLong;
    }
    if (!util->IsValidNumber(number)) {
        return CPhoneNumber_invalidNumber;
    }
    std::string formatted;
    util->Format(number, PhoneNumberUtil::E164, &formatted);
    if (formatted.size() + 1 > outCapacity) {
        return CPhoneNumber_bufferTooSmall;
    }
    std::memcpy(out, formatted.c_str(), formatted.size() + 1);
    return CPhoneNumber_ok;
}

extern "C" int CPhoneNumber_isSupportedRegion(const char *region) {
    if (region == nullptr) {
        return 0;
    }
    std::set<std::string> regions;
    PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
    return regions.count(std::string(region)) > 0 ? 1 : 0;
}
