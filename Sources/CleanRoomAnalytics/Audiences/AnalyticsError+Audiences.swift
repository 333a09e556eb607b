extension AnalyticsError.Code {
    /// The request names something the principal does not have, such as an audience that is unknown, expired or
    /// another's, without saying which (HTTP 404).
    public static let notFound = AnalyticsError.Code(rawValue: "not_found")
}
