/// A country of the default policy's `country` attribute, with what the generator needs to make its people
/// plausible: how common it is among the retailer's customers, its cities, its e-mail providers, its names,
/// and its mobile number plan.
struct DemoCountry: Sendable {
    /// A block of phone numbers that libphonenumber (the metadata Debian ships) accepts as valid for every
    /// choice of the subscriber digits: checked with `cleanroom hash --kind phone` on random samples.
    struct PhoneRange: Sendable {
        /// The digits after the trunk prefix (national form) or the country code (international form).
        let prefix: String
        /// How many subscriber digits follow.
        let digits: Int
    }

    /// ISO 3166-1 alpha-2, as the policy lists it.
    let code: String
    /// The share of customers from the country, relative to the others.
    let weight: Double
    /// The international calling code, without `+`.
    let callingCode: String
    /// The national trunk prefix (`0`), or empty where numbers have none.
    let trunkPrefix: String
    /// Whether people write numbers with a slash or `(0)` (the German-speaking countries).
    let usesGermanStyle: Bool
    /// The number blocks, mostly mobile, drawn with equal weight.
    let phoneRanges: [PhoneRange]
    /// Cities by population.
    let cities: DemoChoice<String>
    /// E-mail domains by popularity.
    let emailDomains: DemoChoice<String>
    /// The share of gmail users who still write `googlemail.com`, the domain Gmail had in Germany and Austria
    /// until 2012.
    let googlemailShare: Double
    /// Name pools by language, by their share in the country.
    let names: DemoChoice<DemoNames>

    /// The countries of the default policy, in its order.
    static let all: [DemoCountry] = [
        DemoCountry(
            code: "DE", weight: 38, callingCode: "49", trunkPrefix: "0", usesGermanStyle: true,
            phoneRanges: ranges(["151", "152", "157", "159", "176"], 8)
                + ranges(["160", "162", "170", "171", "172", "173", "174", "175", "177", "178", "179"], 7)
                + ranges(["30", "40", "89"], 8),
            cities: DemoChoice([
                ("Berlin", 3.6), ("Hamburg", 1.8), ("München", 1.5), ("Köln", 1.1), ("Frankfurt am Main", 0.75),
                ("Stuttgart", 0.63), ("Düsseldorf", 0.62), ("Leipzig", 0.6), ("Dortmund", 0.59), ("Essen", 0.58),
                ("Bremen", 0.57), ("Dresden", 0.56), ("Hannover", 0.54), ("Nürnberg", 0.52), ("Duisburg", 0.5),
                ("Bochum", 0.36), ("Wuppertal", 0.35), ("Bielefeld", 0.33), ("Bonn", 0.33), ("Münster", 0.32),
                ("Mannheim", 0.31), ("Karlsruhe", 0.31), ("Augsburg", 0.3), ("Wiesbaden", 0.28), ("Kiel", 0.25),
                ("Halle (Saale)", 0.24), ("Freiburg im Breisgau", 0.23), ("Lübeck", 0.22), ("Rostock", 0.21),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 27), ("web.de", 18), ("gmx.de", 16), ("t-online.de", 8), ("outlook.de", 4),
                ("hotmail.de", 4), ("yahoo.de", 4), ("icloud.com", 6), ("freenet.de", 3), ("posteo.de", 2),
                ("mail.de", 2),
            ]),
            googlemailShare: 0.15, names: DemoChoice([(.german, 1)])
        ),
        DemoCountry(
            code: "AT", weight: 7, callingCode: "43", trunkPrefix: "0", usesGermanStyle: true,
            phoneRanges: ranges(["664", "676", "650", "660"], 7) + ranges(["699"], 8),
            cities: DemoChoice([
                ("Wien", 1.9), ("Graz", 0.29), ("Linz", 0.2), ("Salzburg", 0.15), ("Innsbruck", 0.13),
                ("Klagenfurt am Wörthersee", 0.1), ("Villach", 0.06), ("Wels", 0.06), ("St. Pölten", 0.055),
                ("Dornbirn", 0.05),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 30), ("gmx.at", 20), ("aon.at", 8), ("chello.at", 5), ("outlook.com", 10),
                ("hotmail.com", 6), ("icloud.com", 6), ("a1.net", 5), ("yahoo.com", 3),
            ]),
            googlemailShare: 0.12, names: DemoChoice([(.german, 1)])
        ),
        DemoCountry(
            code: "CH", weight: 6, callingCode: "41", trunkPrefix: "0", usesGermanStyle: true,
            phoneRanges: ranges(["76", "77", "78", "79", "44"], 7),
            cities: DemoChoice([
                ("Zürich", 0.42), ("Genève", 0.2), ("Basel", 0.17), ("Lausanne", 0.14), ("Bern", 0.13),
                ("Winterthur", 0.11), ("Luzern", 0.08), ("St. Gallen", 0.08), ("Lugano", 0.06), ("Biel/Bienne", 0.055),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 30), ("bluewin.ch", 25), ("gmx.ch", 10), ("outlook.com", 8), ("hotmail.com", 6),
                ("icloud.com", 8), ("sunrise.ch", 4), ("hispeed.ch", 3),
            ]),
            googlemailShare: 0.05, names: DemoChoice([(.german, 0.65), (.french, 0.25), (.italian, 0.1)])
        ),
        DemoCountry(
            code: "FR", weight: 14, callingCode: "33", trunkPrefix: "0", usesGermanStyle: false,
            phoneRanges: ranges(["60", "61", "62", "64", "65", "66", "67", "68", "75", "76", "77", "78"], 7)
                + ranges(["1"], 8),
            cities: DemoChoice([
                ("Paris", 2.1), ("Marseille", 0.87), ("Lyon", 0.52), ("Toulouse", 0.49), ("Nice", 0.34),
                ("Nantes", 0.32), ("Montpellier", 0.3), ("Strasbourg", 0.29), ("Bordeaux", 0.26), ("Lille", 0.23),
                ("Rennes", 0.22), ("Reims", 0.18), ("Toulon", 0.18), ("Saint-Étienne", 0.17), ("Le Havre", 0.17),
                ("Grenoble", 0.16), ("Dijon", 0.16),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 35), ("orange.fr", 15), ("hotmail.fr", 12), ("free.fr", 8), ("laposte.net", 6),
                ("sfr.fr", 6), ("yahoo.fr", 6), ("outlook.fr", 5), ("wanadoo.fr", 4), ("icloud.com", 4),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.french, 1)])
        ),
        DemoCountry(
            code: "NL", weight: 8, callingCode: "31", trunkPrefix: "0", usesGermanStyle: false,
            phoneRanges: ranges(["61", "62", "63", "64", "65", "66", "68", "20"], 7),
            cities: DemoChoice([
                ("Amsterdam", 0.9), ("Rotterdam", 0.65), ("Den Haag", 0.55), ("Utrecht", 0.36), ("Eindhoven", 0.24),
                ("Groningen", 0.23), ("Tilburg", 0.22), ("Almere", 0.22), ("Breda", 0.18), ("Nijmegen", 0.18),
                ("'s-Hertogenbosch", 0.16), ("Haarlem", 0.16),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 38), ("hotmail.com", 15), ("outlook.com", 10), ("ziggo.nl", 10), ("kpnmail.nl", 6),
                ("live.nl", 6), ("icloud.com", 6), ("xs4all.nl", 3), ("planet.nl", 3),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.dutch, 1)])
        ),
        DemoCountry(
            code: "BE", weight: 5, callingCode: "32", trunkPrefix: "0", usesGermanStyle: false,
            phoneRanges: ranges(["47", "48", "49"], 7),
            cities: DemoChoice([
                ("Bruxelles", 1.2), ("Antwerpen", 0.53), ("Gent", 0.26), ("Charleroi", 0.2), ("Liège", 0.2),
                ("Brugge", 0.12), ("Namur", 0.11), ("Leuven", 0.1), ("Mons", 0.095),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 38), ("hotmail.com", 15), ("skynet.be", 10), ("telenet.be", 12), ("outlook.com", 8),
                ("proximus.be", 5), ("icloud.com", 5),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.dutch, 0.55), (.french, 0.45)])
        ),
        DemoCountry(
            code: "LU", weight: 1, callingCode: "352", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["621", "661", "691"], 6),
            cities: DemoChoice([
                ("Luxembourg", 0.13), ("Esch-sur-Alzette", 0.036), ("Differdange", 0.029), ("Dudelange", 0.021),
                ("Ettelbruck", 0.009),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 35), ("pt.lu", 20), ("hotmail.com", 15), ("outlook.com", 10), ("icloud.com", 8),
                ("internet.lu", 5),
            ]),
            googlemailShare: 0.05, names: DemoChoice([(.french, 0.5), (.german, 0.5)])
        ),
        DemoCountry(
            code: "DK", weight: 2, callingCode: "45", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["2", "3", "4", "5", "6"], 7),
            cities: DemoChoice([
                ("København", 0.64), ("Aarhus", 0.29), ("Odense", 0.18), ("Aalborg", 0.12), ("Esbjerg", 0.07),
                ("Randers", 0.06),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 35), ("hotmail.com", 15), ("outlook.dk", 8), ("live.dk", 8), ("jubii.dk", 4),
                ("yahoo.dk", 4), ("icloud.com", 8), ("mail.dk", 5),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.nordic, 1)])
        ),
        DemoCountry(
            code: "SE", weight: 2.5, callingCode: "46", trunkPrefix: "0", usesGermanStyle: false,
            phoneRanges: ranges(["70", "72", "73", "76", "79"], 7),
            cities: DemoChoice([
                ("Stockholm", 0.98), ("Göteborg", 0.59), ("Malmö", 0.35), ("Uppsala", 0.24), ("Linköping", 0.17),
                ("Västerås", 0.16), ("Örebro", 0.16), ("Helsingborg", 0.15),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 38), ("hotmail.com", 15), ("outlook.com", 10), ("telia.com", 8), ("live.se", 6),
                ("icloud.com", 8), ("bredband.net", 4), ("spray.se", 2),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.nordic, 1)])
        ),
        DemoCountry(
            code: "NO", weight: 1.5, callingCode: "47", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["40", "41", "45", "46", "47", "48"], 6) + ranges(["9"], 7),
            cities: DemoChoice([
                ("Oslo", 0.7), ("Bergen", 0.29), ("Trondheim", 0.21), ("Stavanger", 0.14), ("Kristiansand", 0.11),
                ("Drammen", 0.1), ("Tromsø", 0.077),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 38), ("hotmail.com", 14), ("online.no", 10), ("outlook.com", 9), ("live.no", 6),
                ("icloud.com", 8), ("yahoo.no", 3),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.nordic, 1)])
        ),
        DemoCountry(
            code: "PL", weight: 4, callingCode: "48", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["50", "51", "53", "60", "66", "69", "72", "78", "79", "88"], 7),
            cities: DemoChoice([
                ("Warszawa", 1.8), ("Kraków", 0.8), ("Łódź", 0.67), ("Wrocław", 0.64), ("Poznań", 0.53),
                ("Gdańsk", 0.47), ("Szczecin", 0.39), ("Bydgoszcz", 0.33), ("Lublin", 0.33), ("Katowice", 0.28),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 35), ("wp.pl", 18), ("o2.pl", 12), ("onet.pl", 12), ("interia.pl", 10), ("op.pl", 5),
                ("outlook.com", 4),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.polish, 1)])
        ),
        DemoCountry(
            code: "IT", weight: 6, callingCode: "39", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["32", "33", "34", "35", "36", "38", "39"], 8),
            cities: DemoChoice([
                ("Roma", 2.8), ("Milano", 1.4), ("Napoli", 0.91), ("Torino", 0.85), ("Palermo", 0.63),
                ("Genova", 0.56), ("Bologna", 0.39), ("Firenze", 0.37), ("Bari", 0.32), ("Catania", 0.3),
                ("Verona", 0.26), ("Venezia", 0.26),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 35), ("libero.it", 18), ("hotmail.it", 12), ("yahoo.it", 8), ("alice.it", 6),
                ("virgilio.it", 6), ("tiscali.it", 4), ("outlook.it", 5), ("icloud.com", 4),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.italian, 1)])
        ),
        DemoCountry(
            code: "ES", weight: 5, callingCode: "34", trunkPrefix: "", usesGermanStyle: false,
            phoneRanges: ranges(["6"], 8),
            cities: DemoChoice([
                ("Madrid", 3.3), ("Barcelona", 1.6), ("València", 0.8), ("Sevilla", 0.68), ("Zaragoza", 0.68),
                ("Málaga", 0.58), ("Murcia", 0.46), ("Palma", 0.42), ("Las Palmas de Gran Canaria", 0.38),
                ("Bilbao", 0.35), ("Alicante", 0.34), ("Córdoba", 0.32),
            ]),
            emailDomains: DemoChoice([
                ("gmail.com", 45), ("hotmail.com", 18), ("yahoo.es", 8), ("outlook.es", 8), ("telefonica.net", 5),
                ("icloud.com", 6), ("movistar.es", 3),
            ]),
            googlemailShare: 0.02, names: DemoChoice([(.spanish, 1)])
        ),
    ]

    /// The countries, drawn by their weight.
    static let choice = DemoChoice(all.map { ($0, $0.weight) })

    private static func ranges(_ prefixes: [String], _ digits: Int) -> [PhoneRange] {
        prefixes.map { PhoneRange(prefix: $0, digits: digits) }
    }
}
