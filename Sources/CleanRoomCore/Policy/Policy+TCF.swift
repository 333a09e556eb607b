extension Policy {
    /// What an IAB TCF v2.2 TC string says for each consent signal the policy maps to TCF purposes: `true` when
    /// the string grants it, `false` when it does not. Signals no purpose maps are absent.
    ///
    /// A consent purpose is granted when the string consents to all of its TCF purposes; a legitimate-interest
    /// purpose when the string establishes legitimate interest for all of them, or consents to all of them (a
    /// cleared legitimate-interest bit is the person's objection in the consent tool). When several purposes read
    /// one signal, it is granted only if every one of them is.
    public func consentChoices(from tcString: TCString) -> [String: Bool] {
        var choices: [String: Bool] = [:]
        for purpose in self.purposes where !purpose.tcfPurposes.isEmpty {
            let granted: Bool
            switch purpose.lawfulBasis {
            case .consent:
                granted = tcString.consents(toAll: purpose.tcfPurposes)
            case .legitimateInterest:
                granted = tcString.legitimateInterests(inAll: purpose.tcfPurposes)
                    || tcString.consents(toAll: purpose.tcfPurposes)
            }
            choices[purpose.consentSignal] = (choices[purpose.consentSignal] ?? true) && granted
        }
        return choices
    }
}
